"""The faults, one small object each: `name` for the report, and `inject(target)`,
which does the fault and returns the moment (time.monotonic()) it ended, from which
recovery is counted: the kill; the moment a stopped part was started again (its boot
is part of its recovery); the moment the broker answers again after a restart; the
moment a cluster node is gone (the others must carry on without it).

To add one, write a class with those two members and list it where the suite runs
its faults (test_faults.py); `Target` gives it the platform, its processes and its
broker. A fault may also have `check(target)`: what it missed, for the report.
"""

from __future__ import annotations

import os
import re
import signal
import time
from collections import Counter
from dataclasses import dataclass, field

from chassis.nameko.faults import trigger
from tests.chaos.brokers import Node, Nodes
from tests.platform import POISON, Platform


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
class KillAfterCommit:
    """The next write of each of `parts` commits, then its process is SIGKILLed
    before it answers or acknowledges (chassis/nameko/faults.py, by a trigger
    file in FAULT_DIR): the broker gives the request to the next process, and only
    the answered-request record keeps it, or the client's retry, from being done
    twice. Waits until every part's trigger was taken."""

    parts: tuple[str, ...]

    @property
    def name(self) -> str:
        return "SIGKILL between commit and answer"

    def inject(self, target: Target) -> float:
        triggers = [trigger(target.platform.env["FAULT_DIR"], part) for part in self.parts]
        for path in triggers:
            path.touch()
        deadline = time.monotonic() + 60
        while any(p.exists() for p in triggers) and time.monotonic() < deadline:
            time.sleep(0.05)
        untaken = [p.name for p in triggers if p.exists()]
        assert not untaken, f"no write came to take {untaken}"
        return time.monotonic()


@dataclass
class Poison:
    """`rounds` of each message that once stopped or wedged a part, sent to each of
    `parts` under the load: each must be parked, no process may exit."""

    parts: tuple[str, ...]
    rounds: int
    parked: dict = field(default_factory=dict)
    pids: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.rounds * len(POISON) * len(self.parts)} poison messages"

    def inject(self, target: Target) -> float:
        self.parked = {p: target.platform.parked_requests(p) for p in self.parts}
        self.pids = {p: target.pids(p) for p in self.parts}
        target.platform.send_poison(self.parts, self.rounds, seconds=2.0)
        return time.monotonic()

    def check(self, target: Target) -> list[str]:
        missed = []
        for part in self.parts:
            parked = target.platform.parked_requests(part) - self.parked[part]
            if parked != self.rounds * len(POISON):
                missed.append(f"{part} parked {parked} of {self.rounds * len(POISON)}")
            if target.pids(part) != self.pids[part]:
                missed.append(f"a process of {part} exited")
        return missed


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
