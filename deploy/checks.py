"""Checks the container manifests run inside a pod (deploy/k8s, deploy/compose.yaml).

  python -m deploy.checks schema PART   wait until PART's database has the newest schema
  python -m deploy.checks broker        exit 0 if this pod holds a connection to the broker

schema: Kubernetes cannot start a Deployment after a Job has finished (compose can,
with `service_completed_successfully`), so each service's init container runs this.
A replica starts once the pustaka-migrate Job has brought its database to the head
revision, and never migrates anything itself: replicas must not race migrations.

broker: a nameko service has no HTTP port; what shows it is at work is its consumer
connection to RabbitMQ, which nameko keeps open (and opens again after a broker
restart). The check reads the pod's TCP table instead of connecting, so a probe
costs the broker nothing and proves this process, not some other replica, is there.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from urllib.parse import urlparse

TCP_TABLES = ("/proc/net/tcp", "/proc/net/tcp6")
ESTABLISHED = "01"


def broker_port(amqp_uri: str) -> int:
    parsed = urlparse(amqp_uri)
    return parsed.port or (5671 if parsed.scheme == "amqps" else 5672)


def established_to(port: int, table: str) -> bool:
    """Whether a /proc/net/tcp{,6} table has an established connection to `port`."""
    for line in table.splitlines()[1:]:
        fields = line.split()
        if (
            len(fields) > 3
            and fields[3] == ESTABLISHED
            and int(fields[2].rsplit(":", 1)[1], 16) == port
        ):
            return True
    return False


def broker_connected(amqp_uri: str, tables=TCP_TABLES) -> bool:
    port = broker_port(amqp_uri)
    return any(established_to(port, Path(t).read_text()) for t in tables if Path(t).exists())


def revisions(part: str, config: dict) -> tuple[str | None, str | None]:
    """(the revision the database is at, the newest revision this code knows)."""
    # Imported here: the broker probe runs often and needs none of this.
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from services.chassis.config import database_url
    from services.chassis.db import make_engine
    from services.chassis.migrations import alembic_config

    url = database_url(config, part)
    head = ScriptDirectory.from_config(alembic_config(part, url)).get_current_head()
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision(), head
    finally:
        engine.dispose()


def wait_for_schema(
    part: str, config: dict, interval: float = 3.0, timeout: float | None = None
) -> bool:
    """Poll until the database is at head; False if `timeout` seconds pass first.

    A database ahead of this code (an image rolled back) waits too: start old code
    on a newer schema only after deciding so, by downgrading first."""
    deadline = None if timeout is None else time.monotonic() + timeout
    last = ""
    while True:
        try:
            current, head = revisions(part, config)
            if current == head:
                print(f"[schema] {part} is at {head}", flush=True)
                return True
            status = f"{part} is at {current or 'no schema'}, waiting for {head}"
        except Exception as exc:  # the database may not answer yet
            status = f"{part}: database not reachable ({type(exc).__name__})"
        if status != last:
            print(f"[schema] {status}", flush=True)
            last = status
        if deadline is not None and time.monotonic() >= deadline:
            return False
        time.sleep(interval)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from services.chassis.config import COMPONENTS, load_config

    if argv[:1] == ["broker"] and len(argv) == 1:
        return 0 if broker_connected(load_config()["AMQP_URI"]) else 1
    if argv[:1] == ["schema"] and len(argv) == 2 and argv[1] in COMPONENTS:
        return 0 if wait_for_schema(argv[1], load_config()) else 1
    print(f"usage: python -m deploy.checks broker | schema {{{','.join(COMPONENTS)}}}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
