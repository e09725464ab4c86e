"""Faults under a steady mixed load on one broker node of the suite's own: one
replica of each part SIGKILLed, then each service's between a write's commit and its
answer, poison messages to every service, the broker restarted (the long form), a
consuming part stopped and brought back. Each prints its row; none may lose a write
or an event, or do a write twice, and every part must answer again by itself."""

from __future__ import annotations

import pytest

from pustaka import platform as composition
from tests.chaos.brokers import Nodes
from tests.chaos.conftest import LONG, VHOST, databases, platform_on
from tests.chaos.faults import KillAfterCommit, KillOneReplica, Poison, RestartBroker, StopPart
from tests.chaos.load import WRITERS
from tests.chaos.suite import report, run_fault

pytestmark = [pytest.mark.chaos, pytest.mark.timeout(900 if LONG else 300)]

STOPPED_SECONDS = 60 if LONG else 10


def faults() -> list:
    services = tuple(p.name for p in composition.services())
    return [
        KillOneReplica(tuple(p.name for p in composition.parts())),
        # The parts the load writes to: a write of each is killed between its commit
        # and its answer (a part that only follows events takes no write to kill).
        KillAfterCommit(tuple(writer().part for writer in WRITERS)),
        Poison(services, rounds=40 if LONG else 8),
        # The long form's only: a node's restart alone is most of a minute, and CI meets
        # the broker going away in tests/e2e/test_broker_outage.py.
        *([RestartBroker()] if LONG else []),
        # The webhook service hears every service's events: its queue fills meanwhile.
        StopPart("webhooks", STOPPED_SECONDS),
    ]


@pytest.mark.parametrize("database", databases())
def test_faults_lose_nothing_and_do_nothing_twice(
    database, nodes_or_skip, request, tmp_path_factory, capsys
):
    with Nodes(1) as nodes:
        nodes.add_vhost(VHOST)
        with platform_on(nodes, database, request, tmp_path_factory) as target:
            deadline = float(target.platform.env["RPC_TIMEOUT_SECONDS"])
            results = [
                run_fault(target, fault, database, target.setup, deadline) for fault in faults()
            ]
    assert not nodes.running() and not nodes.home.exists(), "a node of ours outlived its test"
    with capsys.disabled():
        print("\n" + report(results))
    failures = [f for result in results for f in result.failures()]
    assert not failures, "\n".join(failures)
