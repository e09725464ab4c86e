"""What deploy/k8s promises, on three RabbitMQ nodes of the suite's own clustered on
loopback: a vhost whose default queue type is quorum (as the rabbitmq-cluster
component makes it), the platform connected to all three nodes (AMQP_URI lists
them), and under the same load the node that leads the most queues stopped, then
brought back. Nothing lost, nothing done twice, every part answering again by
itself."""

from __future__ import annotations

import pytest

from tests.chaos.brokers import Nodes
from tests.chaos.conftest import LONG, VHOST, platform_on
from tests.chaos.faults import StopLeadingNode, leaders
from tests.chaos.suite import report, run_fault

pytestmark = [
    pytest.mark.chaos,
    pytest.mark.timeout(600),
    # About 2 minutes: `make chaos` runs it; `make test` (CI) runs the short form only.
    pytest.mark.skipif(not LONG, reason="the cluster's fault runs in `make chaos`"),
]

DOWN_SECONDS = 30


def test_a_cluster_loses_its_leading_node_and_loses_nothing(
    nodes_or_skip, request, tmp_path_factory, capsys
):
    with Nodes(3) as nodes:
        nodes.add_vhost(VHOST, quorum=True)
        with platform_on(nodes, "sqlite", request, tmp_path_factory) as target:
            durable = [q for q in nodes.queues(VHOST) if q["durable"] and not q["auto_delete"]]
            types = {q["name"]: q["type"] for q in durable}
            assert durable and set(types.values()) == {"quorum"}, types
            before = leaders(nodes, VHOST)
            fault = StopLeadingNode(DOWN_SECONDS)
            deadline = float(target.platform.env["RPC_TIMEOUT_SECONDS"])
            result = run_fault(target, fault, "sqlite", target.setup, deadline)
            after = leaders(nodes, VHOST)
    assert not nodes.running() and not nodes.home.exists(), "a node of ours outlived its test"
    with capsys.disabled():
        print(f"\nqueues led before: {dict(before)}; stopped {fault.stopped}; after: {dict(after)}")
        print(report([result]))
    assert not result.failures(), "\n".join(result.failures())
