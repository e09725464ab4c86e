"""`make up` (`pustaka up`): the whole platform on this machine.

Checks for (or starts) RabbitMQ, and Redis where more than one gateway process
must share its rate limits (GATEWAY_REPLICAS=2), migrates every part's database,
loads the demo data on first run, declares every queue, gives each part a broker user of its own
(pustaka/broker_users.py), makes a demo admin key, then hands over to
supervisord (deploy/local.py), which runs each part as processes of its own (N
replicas each: CATALOG_REPLICAS=2), restarts any that dies, and on Ctrl-C stops
them all. `make down` (`pustaka down`) stops it from another terminal.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlparse

from deploy.local import listening, running_pid, supervise, var_dir

from . import broker_users, platform


def demo_admin_key(config: dict, var: Path) -> str:
    """The admin key made on first run, kept in var/demo-admin.key (mode 600)."""
    path = var / "demo-admin.key"
    if path.exists():
        return path.read_text().strip()
    from gateway.cli import gateway_db
    from gateway.keys import create_key

    db = gateway_db(config)
    with db.transaction() as session:
        _, key = create_key(session, "Demo administrator", "admin", rate_limit=0)
    db.engine.dispose()
    path.write_text(key + "\n")
    path.chmod(0o600)
    return key


def limits_storage(config: dict, gateways: int) -> str:
    """Where the gateway processes keep the counts of their rate limits: as configured
    (GATEWAY_LIMITS_STORAGE), but never each in its own memory when there is more
    than one of them (each would allow the whole limit): then LOCAL_REDIS_URL."""
    storage = config["GATEWAY_LIMITS_STORAGE"]
    if gateways > 1 and urlparse(storage).scheme == "memory":
        return config["LOCAL_REDIS_URL"]
    return storage


def shared_limits(config: dict) -> dict:
    """The gateway's environment for its limits, once the Redis they need answers
    (deploy/redis.py checks for one, or starts it, or says how to get one)."""
    from deploy import redis

    gateways = sum(platform.replicas(p) for p in platform.parts() if p.name == "gateway")
    storage = limits_storage(config, gateways)
    if urlparse(storage).scheme in ("redis", "rediss"):
        if not redis.ensure(storage):
            sys.exit(1)
        where = f"{urlparse(storage).hostname}:{urlparse(storage).port or 6379}"
        print(f"[up] the gateway's limits: Redis at {where}, for {gateways} process(es)")
    return {"GATEWAY_LIMITS_STORAGE": storage}


def prepare(config: dict) -> tuple[Path, dict[str, dict]]:
    """Everything before the processes start: returns the runner's var directory and
    each part's environment (its own broker user, unless BROKER_PART_USERS is off;
    the gateway's store of its limits)."""
    from deploy.broker import ensure

    own_users = config["BROKER_PART_USERS"]
    if not ensure(config["AMQP_URI"], own_users, int(config["BROKER_MANAGEMENT_PORT"])):
        sys.exit(1)
    limits = shared_limits(config)
    for name, _ in platform.migrate(config):
        print(f"[up] migrated {name}", flush=True)
    for name, added in platform.load_demos(config):
        if added:
            print(f"[up] loaded the {name} demo data: {added} records", flush=True)
    platform.declare(config)
    print("[up] declared exchanges and queues", flush=True)
    var = var_dir()
    environments: dict[str, dict] = {"gateway": dict(limits)}
    if not own_users:
        print("[up] BROKER_PART_USERS is off: every part connects as AMQP_URI's user")
        return var, environments
    passwords = broker_users.local_passwords(var)
    broker_users.make_part_users(config, passwords)
    print("[up] made each part's own broker user", flush=True)
    for part, password in passwords.items():
        environments.setdefault(part, {})[broker_users.password_variable(part)] = password
    return var, environments


def up(config: dict | None = None) -> None:
    config = config or platform.load_config()
    address = config["WEB_SERVER_ADDRESS"]
    pid = running_pid(var_dir())
    if pid is not None:
        sys.exit(f"[up] the platform already runs (pid {pid}); `make down` stops it")
    if listening(address):
        sys.exit(f"[up] something else listens on {address}; set WEB_SERVER_ADDRESS=host:port")
    var, environments = prepare(config)
    key = demo_admin_key(config, var)
    print(
        f"[up] gateway: http://{address}  (docs: http://{address}/docs)\n"
        f"[up] demo admin key: {key}\n"
        f"[up] try: curl -H 'Authorization: Bearer {key}' 'http://{address}/v1/catalog/titles'\n"
        f"[up] Ctrl-C stops everything; supervisorctl -c {var / 'supervisord.conf'} status",
        flush=True,
    )
    supervise(var, platform.programs(), environments)
