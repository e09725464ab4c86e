"""Run the whole platform on this machine: `make up` (or `pustaka up`).

Checks for (or starts) RabbitMQ, migrates every database, declares every queue,
makes a demo admin key on first run, then hands over to supervisord, which runs
each service (N replicas each: CATALOG_REPLICAS=2) and the gateway as processes of
their own, restarts any that dies, and on Ctrl-C stops them all.

supervisord, not a loop of our own: it is the standard Python process supervisor,
already does restart with backoff, process groups with replica counts, log files
and a control socket (`supervisorctl`), and stops its children cleanly on a signal.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from services.chassis.config import COMPONENTS, ROOT, SERVICE_CLASSES, load_config


def var_dir() -> Path:
    path = Path(os.environ.get("PUSTAKA_VAR", ROOT / "var"))
    for sub in ("log", "run"):
        (path / sub).mkdir(parents=True, exist_ok=True)
    return path


def replicas(part: str) -> int:
    value = os.environ.get(f"{part.upper()}_REPLICAS", "1")
    if not value.isdigit() or int(value) < 1:
        sys.exit(f"{part.upper()}_REPLICAS must be a whole number of at least 1, not {value!r}")
    return int(value)


def supervisord_conf(var: Path) -> str:
    lines = [
        "[supervisord]",
        "nodaemon=true",
        f"logfile={var / 'log' / 'supervisord.log'}",
        f"pidfile={var / 'run' / 'supervisord.pid'}",
        f"directory={ROOT}",
        "",
        "[unix_http_server]",
        f"file={var / 'run' / 'supervisor.sock'}",
        "",
        "[rpcinterface:supervisor]",
        "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
        "",
        "[supervisorctl]",
        f"serverurl=unix://{var / 'run' / 'supervisor.sock'}",
    ]
    for part, cls in SERVICE_CLASSES.items():
        lines += [
            "",
            f"[program:{part}]",
            f"command={sys.executable} -m services.chassis.run {cls}",
            f"numprocs={replicas(part)}",
            "process_name=%(program_name)s-%(process_num)d",
            "autostart=true",
            "autorestart=true",
            "startsecs=3",
            "startretries=10",
            "stopsignal=TERM",
            "stopwaitsecs=15",
            "killasgroup=true",
            # The log of every process, prefixed by supervisord, on the terminal too.
            "stdout_logfile=/dev/stdout",
            "stdout_logfile_maxbytes=0",
            "redirect_stderr=true",
        ]
    return "\n".join(lines) + "\n"


def demo_admin_key(config: dict, var: Path) -> str:
    """The admin key made on first run, kept in var/demo-admin.key (mode 600)."""
    path = var / "demo-admin.key"
    if path.exists():
        return path.read_text().strip()
    from gateway.keys import create_key
    from services.chassis.cli import gateway_db

    with gateway_db(config).transaction() as session:
        _, key = create_key(session, "Demo administrator", "admin", rate_limit=0)
    path.write_text(key + "\n")
    path.chmod(0o600)
    return key


def prepare(config: dict) -> Path:
    from deploy.broker import ensure
    from services.catalog.cli import catalog_db
    from services.catalog.demo import load_demo
    from services.chassis.declare import declare_all
    from services.chassis.migrations import upgrade
    from services.chassis.run import import_service

    if not ensure(config["AMQP_URI"]):
        sys.exit(1)
    for part in COMPONENTS:
        upgrade(part, config)
        print(f"[up] migrated {part}", flush=True)
    added = load_demo(catalog_db(config))
    if added:
        print(f"[up] loaded the demo collection: {added} titles", flush=True)
    services = [import_service(c) for p, c in SERVICE_CLASSES.items() if p != "gateway"]
    declare_all(config["AMQP_URI"], services)
    print("[up] declared exchanges and queues", flush=True)
    var = var_dir()
    (var / "supervisord.conf").write_text(supervisord_conf(var))
    return var


def up(config: dict | None = None) -> None:
    config = config or load_config()
    var = prepare(config)
    key = demo_admin_key(config, var)
    address = config.get("WEB_SERVER_ADDRESS", "127.0.0.1:8000")
    print(
        f"[up] gateway: http://{address}  (docs: http://{address}/docs)\n"
        f"[up] demo admin key: {key}\n"
        f"[up] try: curl -H 'Authorization: Bearer {key}' 'http://{address}/v1/catalog/titles'\n"
        f"[up] Ctrl-C stops everything; supervisorctl -c {var / 'supervisord.conf'} status",
        flush=True,
    )
    supervisord = Path(sys.executable).with_name("supervisord")
    os.execv(str(supervisord), [str(supervisord), "-c", str(var / "supervisord.conf")])


if __name__ == "__main__":
    up()
