"""A part's process that can no longer work ends itself, so that its supervisor
(supervisord, Kubernetes) starts a fresh one: a process that holds its connection but
answers nothing looks alive to every probe, and holds its share of the queue.

It is stuck when every worker has been busy for longer than STUCK_SECONDS (each
waits on something that will not come), or when its green threads have not run for
that long (one blocked the whole process). A native thread watches, since a blocked
hub runs no green thread.
"""

from __future__ import annotations

import os
import time

import eventlet
from eventlet import patcher
from nameko.extensions import DependencyProvider

native = patcher.original("threading")
EXIT_CODE = 70  # EX_SOFTWARE


def stuck(started: list[float], workers: int, beat: float, now: float, limit: float) -> str:
    """Why a process is stuck ("" if it is not): `started`, when each running worker
    began; `beat`, when its green threads last ran."""
    if now - beat > limit:
        return f"its green threads have not run for {now - beat:.0f}s"
    if workers and len(started) >= workers and now - max(started) > limit:
        return f"all {workers} workers have been busy for over {limit:.0f}s"
    return ""


class Watchdog(DependencyProvider):
    def __init__(self, on_stuck=None):
        self.on_stuck = on_stuck or _exit
        self.running: dict[int, float] = {}
        self.beat = time.monotonic()
        self._on = False

    def start(self) -> None:
        self.limit = float(self.container.config.get("STUCK_SECONDS", 120))
        self.workers = int(self.container.max_workers)
        self._on = True
        self.container.spawn_managed_thread(self._beat, identifier="watchdog-beat")
        native.Thread(target=self._watch, name="watchdog", daemon=True).start()

    def stop(self) -> None:
        self._on = False

    kill = stop

    def worker_setup(self, worker_ctx) -> None:
        self.running[id(worker_ctx)] = time.monotonic()

    def worker_teardown(self, worker_ctx) -> None:
        self.running.pop(id(worker_ctx), None)

    def _beat(self) -> None:
        # Often enough that a late beat is a stalled process, not a beat's own wait.
        while self._on:
            self.beat = time.monotonic()
            eventlet.sleep(min(1.0, self.limit / 4))

    def _watch(self) -> None:
        while self._on:
            native.Event().wait(min(1.0, self.limit / 4))
            started = list(self.running.values())
            why = stuck(started, self.workers, self.beat, time.monotonic(), self.limit)
            if self._on and why:
                self.on_stuck(f"{self.container.service_name} is stuck: {why}; exiting")
                return


def _exit(why: str) -> None:
    # Straight to the file: logging's locks are green ones, which a blocked hub holds.
    os.write(2, f"{why}\n".encode())
    os._exit(EXIT_CODE)
