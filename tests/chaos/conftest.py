"""The fault suite's platforms: each on RabbitMQ nodes of its own (brokers.py),
never the machine's shared node, started by the same runner as `make up`.

The short form (`make test`) runs on SQLite with a part stopped for 10 s and no
broker restart; the long form (`make chaos`: PUSTAKA_CHAOS=long) on SQLite and
PostgreSQL, with the broker restarted and a part stopped for a minute."""

from __future__ import annotations

import contextlib
import os

import pytest

from pustaka import platform as composition
from tests.chaos import load
from tests.chaos.brokers import Nodes, unavailable
from tests.chaos.faults import Target
from tests.platform import TEST_ENV, Platform
from tests.support import running_platform

LONG = os.environ.get("PUSTAKA_CHAOS") == "long"
VHOST = "pustaka"


def databases() -> list:
    chosen = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
    return chosen if LONG else chosen[:1]


@pytest.fixture(scope="session")
def nodes_or_skip():
    reason = unavailable()
    if reason:
        pytest.skip(f"the fault suite needs RabbitMQ nodes of its own: {reason}")


@contextlib.contextmanager
def platform_on(nodes: Nodes, database: str, request, tmp_path_factory):
    """A Target: the platform on `nodes` (every one of them listed in AMQP_URI) and
    on `database`, with the load's programme to register for in `target.setup`."""
    env = {
        **TEST_ENV,
        "CATALOG_REPLICAS": "2",  # one is killed while the other serves
        "BROKER_MANAGEMENT_PORT": str(nodes.first.management_port),
        # The load's webhook endpoints point at 127.0.0.1 (and nothing answers there).
        "WEBHOOKS__ALLOW_PRIVATE_URLS": "true",
    }
    if database == "postgresql":
        for part in composition.parts():
            env[f"{part.name.upper()}__DATABASE_URL"] = request.getfixturevalue(
                "make_postgres_db"
            )()
    var = tmp_path_factory.mktemp(f"chaos-{database}")
    (var / "faults").mkdir()
    env["FAULT_DIR"] = str(var / "faults")  # KillAfterCommit's triggers
    with running_platform(var, nodes.uri(VHOST), env) as (url, run_env):
        target = Target(Platform(url, run_env, var), nodes, VHOST)
        target.setup = load.prepare(target.platform)
        yield target
