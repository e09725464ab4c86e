"""`Background`: work a service does by itself, in a green thread of each of its
processes, beside its entrypoints: the outbox relay (relay.py), a service's own
worker (the webhook service's deliveries).

The loop is the same for each: do all there is (`worker.run_once()`, a batch at a
time, until it answers 0), then wait until a commit through the service's
`Database` wakes it (one that wrote its tables, `wakes_on`), or at most the
worker's `poll_seconds` (which catches work that another process committed, or
that becomes due with time). A failure is
logged, the worker told to `reset()` (drop its connections), and the loop goes on
after a growing pause: the thread never dies with the work left undone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

import eventlet
from eventlet.event import Event
from nameko.extensions import DependencyProvider

from chassis.db import DatabaseSession

from .database import Database

log = logging.getLogger(__name__)


def green_map(size: int) -> Callable[[Callable, Iterable], Iterable]:
    """`map`, done by up to `size` green threads at once, results in order."""

    def mapped(function: Callable, items: Iterable) -> Iterable:
        return eventlet.GreenPool(size).imap(function, items)

    return mapped


class Background(DependencyProvider):
    """Declare in a service class; `build(config, database)` makes the worker, an
    object with run_once() (how much it did), reset(), close(), poll_seconds and
    optionally gather_seconds (how long to wait after a wake for more commits).
    `database` is a DatabaseSession of the service's `Database`; its commits wake
    the other workers."""

    identifier = "background"
    # The tables that hold this worker's work: a commit that wrote none of them does
    # not wake it (its poll still looks). None: every commit wakes it.
    wakes_on: frozenset[str] | None = None

    def __init__(self, build: Callable | None = None):
        self._build = build
        self._wake = Event()
        self._running = False
        self._thread = None
        self.worker = None

    def setup(self) -> None:
        # The service's one Database: nameko binds a copy of each dependency per
        # container, so it is found there rather than passed in.
        found = [d for d in self.container.dependencies if isinstance(d, Database)]
        if len(found) != 1:
            raise TypeError(f"{self.container.service_name} needs one `db = Database(Base)`")
        (self.database,) = found
        self.database.committed_listeners.append(self.wake)

    def build(self, config: dict, database: DatabaseSession):
        return self._build(config, database)

    def start(self) -> None:
        session = DatabaseSession(
            self.database.factories,
            self.database.metadata,
            self._wake_others,
            f"{self.container.service_name}.{self.identifier}",
        )
        self.worker = self.build(self.container.config, session)
        self._running = True
        self._thread = self.container.spawn_managed_thread(self._run, identifier=self.identifier)

    def _wake_others(self, wrote: frozenset | None = None, emitted: tuple = ()) -> None:
        """What the worker's own commits do: wake the others (the relay, for an event
        it emitted), never itself, or a claim that found nothing would loop."""
        for listener in self.database.committed_listeners:
            if listener != self.wake:
                listener(wrote, emitted)

    def wake(self, wrote: frozenset | None = None, emitted: tuple = ()) -> None:
        """After a commit that wrote `wrote` (None: unknown, so any) and stored the
        outbox rows `emitted`, which a worker with `committed(ids)` is given."""
        if emitted and (committed := getattr(self.worker, "committed", None)):
            committed(emitted)
        if self.wakes_on is not None and wrote is not None and not self.wakes_on & wrote:
            return
        if not self._wake.ready():
            self._wake.send(True)

    def _run(self) -> None:
        failures = 0
        while self._running:
            try:
                while self._running and self.worker.run_once():
                    eventlet.sleep(0)  # let the process's other green threads run
                failures = 0
            except Exception:
                failures += 1
                delay = min(30.0, 0.5 * 2**failures)
                log.exception("%s failed; retrying in %.1fs", self.identifier, delay)
                self.worker.reset()
                eventlet.sleep(delay)
                continue
            with eventlet.Timeout(self.worker.poll_seconds, False):
                self._wake.wait()
            if self._wake.ready():
                # Woken by a commit: others may follow at once; take them together.
                eventlet.sleep(getattr(self.worker, "gather_seconds", 0))
                self._wake.reset()

    def stop(self) -> None:
        """The batch under way is finished first (an outbox batch, a delivery), unless
        the worker says `stops_at_once`: its work is done again whole at the next
        start, and waiting for it could take a deadline of calls to parts that are
        stopping too (insight's first rebuild)."""
        self._running = False
        self.wake()
        if self._thread is not None:
            if getattr(self.worker, "stops_at_once", False):
                self._thread.kill()
            else:
                self._thread.wait()
        if self.worker is not None:
            self.worker.close()

    def kill(self) -> None:
        self._running = False
        if self._thread is not None:
            self._thread.kill()

    def get_dependency(self, worker_ctx):
        return self.worker
