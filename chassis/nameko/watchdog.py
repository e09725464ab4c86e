"""A part's process that can no longer work ends itself, so that its supervisor
(supervisord, Kubernetes) starts a fresh one: a process that holds its connection but
answers nothing looks alive to every probe, and holds its share of the queue.

It is stuck when every worker has been busy for longer than STUCK_SECONDS (each
waits on something that will not come), when a group of events (grouped.py) has
been applying for that long, or when its green threads have not run for that long
(one blocked the whole process). A native thread watches, since a blocked hub runs
no green thread.

Each second it also writes what its probes read (chassis/probes.py): not ready once
every worker has been busy, or the green threads stalled, for longer than a caller
waits (RPC_TIMEOUT_SECONDS); and alive as long as it writes at all.
"""

from __future__ import annotations

import os
import time

import eventlet
from eventlet import patcher
from nameko.extensions import DependencyProvider

from chassis import probes

native = patcher.original("threading")
EXIT_CODE = 70  # EX_SOFTWARE


def stuck(
    started: list[float], workers: int, beat: float, now: float, limit: float, groups=()
) -> str:
    """Why a process is stuck ("" if it is not): `started`, when each running worker
    began; `beat`, when its green threads last ran; `groups`, when each group of
    events being applied began."""
    if now - beat > limit:
        return f"its green threads have not run for {now - beat:.0f}s"
    if workers and len(started) >= workers and now - max(started) > limit:
        return f"all {workers} workers have been busy for over {limit:.0f}s"
    if groups and now - min(groups) > limit:
        return f"a group of events has been applying for over {limit:.0f}s"
    return ""


class Watchdog(DependencyProvider):
    def __init__(self, on_stuck=None):
        self.on_stuck = on_stuck or _exit
        self.running: dict[int, float] = {}
        self.applying: dict[str, float] = {}  # a GroupedApply's group -> when it began
        self.beat = time.monotonic()
        self._on = False

    def start(self) -> None:
        config = self.container.config
        self.limit = float(config.get("STUCK_SECONDS", 120))
        self.deadline = float(config.get("RPC_TIMEOUT_SECONDS", 5))
        self.probes = probes.probe_dir(config)
        self.workers = int(self.container.max_workers)
        self._on = True
        self.container.spawn_managed_thread(self._beat, identifier="watchdog-beat")
        native.Thread(target=self._watch, name="watchdog", daemon=True).start()

    @property
    def _tick(self) -> float:
        return min(1.0, self.limit / 4, self.deadline / 4)

    def stop(self) -> None:
        self._on = False
        probes.remove(self.probes, self.container.service_name, os.getpid())

    kill = stop

    def worker_setup(self, worker_ctx) -> None:
        self.running[id(worker_ctx)] = time.monotonic()

    def worker_teardown(self, worker_ctx) -> None:
        self.running.pop(id(worker_ctx), None)

    def _beat(self) -> None:
        # Often enough that a late beat is a stalled process, not a beat's own wait.
        while self._on:
            self.beat = time.monotonic()
            eventlet.sleep(self._tick)

    def _watch(self) -> None:
        name = self.container.service_name
        while self._on:
            native.Event().wait(self._tick)
            started, now = list(self.running.values()), time.monotonic()
            groups = list(self.applying.values())
            why = stuck(started, self.workers, self.beat, now, self.limit, groups)
            if self._on and why:
                self.on_stuck(f"{name} is stuck: {why}; exiting")
                return
            busy = stuck(started, self.workers, self.beat, now, self.deadline, groups)
            if self._on:
                self._tell_probes(name, busy)

    def _tell_probes(self, name: str, busy: str) -> None:
        probe = probes.Probe(name, os.getpid(), time.time(), ready=not busy, why=busy)
        try:
            probes.write(self.probes, probe)
        except OSError as exc:  # a full or read-only disk must not end the watch
            os.write(2, f"{name}: cannot write its probe: {exc}\n".encode())


def _exit(why: str) -> None:
    # Straight to the file: logging's locks are green ones, which a blocked hub holds.
    os.write(2, f"{why}\n".encode())
    os._exit(EXIT_CODE)
