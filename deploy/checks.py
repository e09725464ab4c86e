"""Checks the container manifests run inside a pod (deploy/k8s, deploy/compose.yaml),
as `pustaka check schema PART`, `pustaka check broker` and `pustaka check ready|alive
PART`.

schema: Kubernetes cannot start a Deployment after a Job has finished (compose can,
with `service_completed_successfully`), so each service's init container runs this.
A replica starts once the pustaka-migrate Job has brought its database to every head
revision, and never migrates anything itself: replicas must not race migrations.

broker: a nameko service has no HTTP port; what shows it is at work is its consumer
connection to RabbitMQ, which nameko keeps open (and opens again after a broker
restart). The check reads the pod's TCP table instead of connecting, so a probe
costs the broker nothing and proves this process, not some other replica, is there.

ready, alive: what the part's processes here wrote of themselves (chassis/probes.py),
with the broker connection besides. Ready is Kubernetes' readiness probe: a process
whose workers have all been busy past the deadline is not. Alive is its liveness
probe: a process that has written nothing for ALIVE_SECONDS is frozen whole (a stuck
one ends itself first, through its watchdog).
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlparse

from chassis import probes
from chassis.config import broker_nodes

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
    """Connected to the broker: to any of AMQP_URI's nodes, where it lists several."""
    ports = {broker_port(node) for node in broker_nodes(amqp_uri)}
    read = [Path(t).read_text() for t in tables if Path(t).exists()]
    return any(established_to(port, table) for port in ports for table in read)


def process_state(part: str, want: str, config: dict, tables=TCP_TABLES) -> bool:
    """`want` ("ready" or "alive") of `part`'s processes here, printed; and connected."""
    ok, said = probes.verdict(probes.read(probes.probe_dir(config), part), want)
    print(said, flush=True)
    if not broker_connected(config["AMQP_URI"], tables):
        print(f"{part}: no connection to the broker", flush=True)
        return False
    return ok


def wait_for_schema(
    part: str, revisions, interval: float = 3.0, timeout: float | None = None
) -> bool:
    """Poll `revisions()` ((revisions the database is at, heads the code knows)) until
    the database is at every head; False if `timeout` seconds pass first.

    A database ahead of this code (an image rolled back) waits too: start old code
    on a newer schema only after deciding so, by downgrading first."""
    deadline = None if timeout is None else time.monotonic() + timeout
    last = ""
    while True:
        try:
            current, heads = revisions()
            if current == heads:
                print(f"[schema] {part} is at {', '.join(sorted(heads))}", flush=True)
                return True
            at = ", ".join(sorted(current)) or "no schema"
            status = f"{part} is at {at}, waiting for {', '.join(sorted(heads))}"
        except Exception as exc:  # the database may not answer yet
            status = f"{part}: database not reachable ({type(exc).__name__})"
        if status != last:
            print(f"[schema] {status}", flush=True)
            last = status
        if deadline is not None and time.monotonic() >= deadline:
            return False
        time.sleep(interval)
