"""Run the whole platform on this machine: `make up` (or `pustaka up`); `make down`
(`pustaka down`) stops it.

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
import socket
import subprocess
import sys
import time
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


def supervisor_conf(var: Path, programs: dict[str, tuple[str, int]]) -> str:
    """supervisord's configuration: its pidfile and control socket in var/run, and one
    program per entry of `programs` (name -> (command, replica count))."""
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
    for name, (command, count) in programs.items():
        lines += [
            "",
            f"[program:{name}]",
            f"command={command}",
            f"numprocs={count}",
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


def platform_conf(var: Path) -> str:
    """Every service (with its replica count) and the gateway."""
    return supervisor_conf(
        var,
        {
            part: (f"{sys.executable} -m services.chassis.run {cls}", replicas(part))
            for part, cls in SERVICE_CLASSES.items()
        },
    )


def running_pid(var: Path) -> int | None:
    """The pid of the supervisord running the platform from `var`, if it still runs."""
    try:
        pid = int((var / "run" / "supervisord.pid").read_text())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


def down(var: Path | None = None, timeout: float = 60.0) -> bool:
    """Stop the platform running from `var` and wait until it has stopped, so that
    `make down && make up` finds the socket and the port free."""
    var = var or var_dir()
    pid = running_pid(var)
    if pid is None:
        print(f"[down] nothing runs from {var}")
        return True
    ctl = Path(sys.executable).with_name("supervisorctl")
    subprocess.run([str(ctl), "-c", str(var / "supervisord.conf"), "shutdown"], check=False)
    deadline = time.monotonic() + timeout
    while running_pid(var) == pid:
        if time.monotonic() > deadline:
            print(f"[down] supervisord (pid {pid}) is still stopping after {timeout:g}s")
            return False
        time.sleep(0.2)
    print("[down] stopped")
    return True


def listening(address: str) -> bool:
    host, _, port = address.rpartition(":")
    try:
        socket.create_connection((host or "127.0.0.1", int(port)), timeout=1).close()
    except OSError:
        return False
    return True


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
    (var / "supervisord.conf").write_text(platform_conf(var))
    return var


def up(config: dict | None = None) -> None:
    config = config or load_config()
    address = config.get("WEB_SERVER_ADDRESS", "127.0.0.1:8000")
    pid = running_pid(var_dir())
    if pid is not None:
        sys.exit(f"[up] the platform already runs (pid {pid}); `make down` stops it")
    if listening(address):
        sys.exit(f"[up] something else listens on {address}; set WEB_SERVER_ADDRESS=host:port")
    var = prepare(config)
    key = demo_admin_key(config, var)
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
    if sys.argv[1:] == ["down"]:
        sys.exit(0 if down() else 1)
    up()
