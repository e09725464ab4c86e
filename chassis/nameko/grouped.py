"""`GroupedApply`: event handlers that apply their events once, in one transaction
shared with the other events the process's handlers are applying at the moment.

A handler that writes a row or two per event spends most of its time beginning and
committing (SQLite makes every write transaction wait for the last), and a nameko
worker per event cost more again. Here each handler's entrypoint hands its event
over as it comes, with no worker (handlers.py, `into=`); one green thread takes
every event waiting, records each as applied by its handler (skipping those applied
before) and runs the effect on the new ones in one transaction, then settles each:
the event is acknowledged only once its effect is committed. A group that fails is
applied again one event at a time, so that only the event that cannot be applied
fails, and its handler retries and parks it as ever.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import eventlet
from eventlet.event import Event
from nameko.extensions import DependencyProvider

from chassis.db import DatabaseSession, first_applications

from .database import Database
from .watchdog import Watchdog

log = logging.getLogger(__name__)
GATHER_SECONDS = 0.02  # as the relay's gather: events wait no longer than that for more
# A read model's: no caller waits on what its events change, and a group's
# transaction costs as much as several effects (insight on PostgreSQL: 1.6 ms of CPU
# an event in groups of 1, 0.4 in groups of 10), so its groups gather longer.
READ_MODEL_GATHER_SECONDS = 0.1  # with a prefetch to match: a gather's events in hand


@dataclass
class _Handed:
    consumer: str  # the handler's name, "service.method", as apply_once records it
    event: dict
    settled: Callable[[BaseException | None], None]  # applied (None), or failed


class GroupedApply(DependencyProvider):
    """Declare as `apply = GroupedApply(build)`, and its handlers with `into="apply"`:
    `build(config)` gives the effect, `effect(session, events)` for the events not
    applied before, in the order they came.

    `order`, if given, sorts a group's new events (a stable sort) before the effect
    runs: an effect that takes a row lock per kind of event takes them in one order
    in every process, and two replicas' groups never wait on each other in a ring.

    `wanted`, if given, is `wanted(session, events)`: those of the events the effect
    would act on. The others are acknowledged with nothing written, not even the
    record that they were applied (applying one again would change nothing): a
    group that nothing wants commits no write.

    `gather_seconds`: how long the first event of a group waits for others. A
    handler whose events nobody waits for (a read model) gathers longer, and its
    groups are larger: a group's transaction costs as much as several effects."""

    def __init__(
        self,
        build: Callable[[dict], Callable],
        order: Callable | None = None,
        wanted: Callable | None = None,
        gather_seconds: float = GATHER_SECONDS,
    ):
        self._build = build
        self.gather_seconds = gather_seconds
        self._order = order
        self._wanted = wanted
        self._pending: list[_Handed] = []
        self._wake = Event()
        self._running = False
        self._thread = None

    def setup(self) -> None:
        (self.database,) = [d for d in self.container.dependencies if isinstance(d, Database)]
        # Its groups are no workers: the watchdog is told when each begins and ends.
        watchdogs = [d for d in self.container.dependencies if isinstance(d, Watchdog)]
        self.applying = watchdogs[0].applying if watchdogs else {}

    def start(self) -> None:
        self.effect = self._build(self.container.config)
        self.db = DatabaseSession(
            self.database.factories,
            self.database.metadata,
            self.database.notify_committed,
            f"{self.container.service_name}.grouped",
        )
        self._running = True
        self._thread = self.container.spawn_managed_thread(self._run, identifier="grouped-apply")

    def stop(self) -> None:
        self._running = False
        if not self._wake.ready():
            self._wake.send(True)
        if self._thread is not None:
            self._thread.wait()

    def kill(self) -> None:
        self._running = False
        if self._thread is not None:
            self._thread.kill()

    def hand_over(self, consumer: str, event: dict, settled: Callable) -> None:
        """Apply `event` as `consumer` with the next group; then `settled(None)`, or
        `settled(exc)` if it cannot be applied."""
        self._pending.append(_Handed(consumer, event, settled))
        if not self._wake.ready():
            self._wake.send(True)

    def _run(self) -> None:
        while self._running or self._pending:
            if not self._pending:
                self._wake.wait()
                self._wake.reset()
                if self._running:
                    # The events of the next moment join the first one's group: a
                    # group's transaction costs as much as several events' effects
                    # (on PostgreSQL a group of 3 cost 480 µs of CPU an event, one of
                    # 10 265 µs), and under load a group would else hold the few
                    # that came while the last one was applied.
                    eventlet.sleep(self.gather_seconds)
                continue
            group, self._pending = self._pending, []
            self.applying[self.attr_name] = time.monotonic()
            try:
                self._settle(group)
            finally:
                self.applying.pop(self.attr_name, None)
            eventlet.sleep(0)  # let handlers hand over what came meanwhile

    def _settle(self, group: list[_Handed]) -> None:
        try:
            self._apply(group)
        except Exception as exc:
            if len(group) > 1:  # find the event that fails; the others are applied
                for handed in group:
                    self._settle([handed])
                return
            group[0].settled(exc)
            return
        for handed in group:
            handed.settled(None)

    def _apply(self, group: list[_Handed]) -> None:
        # An event handed twice (redelivered meanwhile) counts once; the rest keep
        # the order they came in.
        unique = list({(h.consumer, h.event["id"]): h for h in group}.values())
        applied = self.db.metadata.tables["applied_events"]
        with self.db.transaction() as session:
            if self._wanted is not None:
                ids = {e["id"] for e in self._wanted(session, [h.event for h in unique])}
                unique = [h for h in unique if h.event["id"] in ids]
            by_consumer: dict[str, list[str]] = {}
            for handed in unique:
                by_consumer.setdefault(handed.consumer, []).append(handed.event["id"])
            first = {
                (consumer, event_id)
                for consumer, ids in by_consumer.items()
                for event_id in first_applications(session, applied, consumer, ids)
            }
            new = [h.event for h in unique if (h.consumer, h.event["id"]) in first]
            if new:
                self.effect(session, sorted(new, key=self._order) if self._order else new)
        if len(new) < len(unique):
            log.info(
                "%d of %d events had been applied already", len(unique) - len(new), len(unique)
            )
