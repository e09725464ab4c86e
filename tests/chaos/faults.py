"""The faults, one small object each: `name` for the report, and `inject(target)`,
which does the fault and returns the moment (time.monotonic()) it ended, from which
recovery is counted: the kill; the moment a stopped part was started again (its boot
is part of its recovery); the moment the broker answers again after a restart; the
moment a cluster node is gone (the others must carry on without it).

To add one (poison messages, a kill between commit and acknowledgement), write a
class with those two members and list it where the suite runs its faults
(test_faults.py); `Target` gives it the platform, its processes and its broker.
"""

from __future__ import annotations

import os
import re
import signal
import time
from collections import Counter
from dataclasses import dataclass, field

from tests.chaos.brokers import Node, Nodes
from tests.platform import Platform


@dataclass
class Target:
    """What a fault acts on: the running platform and the broker node(s) under it."""

    platform: Platform
    nodes: Nodes
    vhost: str
    setup: dict = field(default_factory=dict)  # what the load needs (load.prepare)

    def pids(self, part: str) -> list[int]:
        """The pids of a part's running processes, as supervisord knows them
        (`status` lines: "catalog:catalog-0  RUNNING  pid 1234, uptime 0:01:02")."""
        found = re.findall(
            rf"^{re.escape(part)}:\S+\s+RUNNING\s+pid (\d+)", self.platform.ctl("status"), re.M
        )
        return [int(pid) for pid in found]

    def wait_running(self, part: str, count: int, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.pids(part)) >= count:
                return
            time.sleep(0.2)
        raise AssertionError(f"{part} did not come back: {self.platform.ctl('status')}")


@dataclass
class KillOneReplica:
    """SIGKILL one process of each of `parts` at once; supervisord restarts them."""

    parts: tuple[str, ...]

    @property
    def name(self) -> str:
        return "SIGKILL one replica of each part"

    def inject(self, target: Target) -> float:
        for part in self.parts:
            os.kill(target.pids(part)[0], signal.SIGKILL)
        return time.monotonic()


@dataclass
class RestartBroker:
    """Stop the broker node and start it again (its data kept, as a restart does)."""

    @property
    def name(self) -> str:
        return "broker restart"

    def inject(self, target: Target) -> float:
        node = target.nodes.first
        node.stop()
        node.start()
        return time.monotonic()  # the broker answers again: the rest is the platform's


@dataclass
class StopPart:
    """Stop every process of a part that consumes others' events for `seconds`, then
    start them again: its queues hold what comes meanwhile."""

    part: str
    seconds: float

    @property
    def name(self) -> str:
        return f"{self.part} stopped {self.seconds:g} s"

    def inject(self, target: Target) -> float:
        count = len(target.pids(self.part))
        target.platform.ctl("stop", f"{self.part}:*")
        time.sleep(self.seconds)
        started = time.monotonic()
        target.platform.ctl("start", f"{self.part}:*")
        target.wait_running(self.part, count)
        return started


def leaders(nodes: Nodes, vhost: str) -> Counter:
    """How many of the vhost's queues each node leads (a quorum queue's `leader`, a
    classic queue's `node`)."""
    return Counter(q.get("leader") or q["node"] for q in nodes.queues(vhost))


@dataclass
class StopLeadingNode:
    """Stop the cluster node that leads the most queues for `seconds`, then start it
    again; the others keep a majority of every quorum queue. Recovery counts from
    the moment the node is gone: the platform must carry on without it, not wait
    for it to come back."""

    seconds: float
    stopped: str = ""

    @property
    def name(self) -> str:
        return f"node leading most queues stopped {self.seconds:g} s"

    def inject(self, target: Target) -> float:
        name, _ = leaders(target.nodes, target.vhost).most_common(1)[0]
        node: Node = next(n for n in target.nodes.nodes if n.name == name)
        self.stopped = name
        node.stop()
        gone = time.monotonic()  # a node stopping still serves; count from its end
        time.sleep(self.seconds)
        node.start()
        return gone
