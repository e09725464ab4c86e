"""`GroupedApply`: event handlers that apply their events once, in one transaction
shared with the other events the process's handlers are applying at the moment.

A handler that writes one row per event spends most of its time beginning and
committing (SQLite makes every write transaction wait for the last). Here each
handler's worker hands its event over and waits; one green thread takes every
event waiting, records them as applied (skipping those applied before) and runs
the effect on the new ones in one transaction, then answers each worker: the
event is acknowledged only once its effect is committed, and a failure fails
each worker, whose handler retries and parks as ever (handlers.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import eventlet
from eventlet.event import Event
from nameko.extensions import DependencyProvider

from chassis.db import DatabaseSession, first_applications

from .database import Database

log = logging.getLogger(__name__)


class GroupedApply(DependencyProvider):
    """Declare as `apply = GroupedApply(build, "method")`: `build(config)` gives the
    effect, `effect(session, events)` for the events not applied before; `method` is
    the handler's name (its consumer name, as `apply_once` would record it). In the
    handler: `self.apply(event)`."""

    def __init__(self, build: Callable[[dict], Callable], method: str):
        self._build = build
        self.method = method
        self._pending: list[tuple[dict, Event]] = []
        self._wake = Event()
        self._running = False
        self._thread = None

    def setup(self) -> None:
        (self.database,) = [d for d in self.container.dependencies if isinstance(d, Database)]

    def start(self) -> None:
        self.effect = self._build(self.container.config)
        self.db = DatabaseSession(
            self.database.factories,
            self.database.metadata,
            self.database.notify_committed,
            f"{self.container.service_name}.{self.method}",
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

    def get_dependency(self, worker_ctx):
        return self.apply

    def apply(self, event: dict) -> None:
        done = Event()
        self._pending.append((event, done))
        if not self._wake.ready():
            self._wake.send(True)
        done.wait()

    def _run(self) -> None:
        while self._running or self._pending:
            if not self._pending:
                self._wake.wait()
                self._wake.reset()
                continue
            group, self._pending = self._pending, []
            try:
                self._apply([event for event, _ in group])
            except Exception as exc:
                for _, done in group:
                    done.send_exception(exc)
                continue
            for _, done in group:
                done.send(None)
            eventlet.sleep(0)  # let handlers hand over what came meanwhile

    def _apply(self, events: list[dict]) -> None:
        unique = list({event["id"]: event for event in events}.values())
        applied = self.db.metadata.tables["applied_events"]
        with self.db.transaction() as session:
            new = first_applications(session, applied, self.db.consumer, [e["id"] for e in unique])
            if new:
                self.effect(session, [e for e in unique if e["id"] in new])
        if len(new) < len(unique):
            log.info(
                "%s had applied %d of %d events already",
                self.db.consumer,
                len(unique) - len(new),
                len(unique),
            )
