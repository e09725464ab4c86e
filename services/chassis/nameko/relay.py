"""The outbox relay: publishes what services committed to their outbox.

`Relay` claims a batch (services/chassis/outbox.py), publishes it with publisher
confirms, then marks it sent; `OutboxRelay` runs one in every service process
(ServiceBase declares it, so no service can forget it).
"""

from __future__ import annotations

import json
import logging
import time
import uuid

import eventlet
from eventlet.event import Event
from nameko.extensions import DependencyProvider
from sqlalchemy import Table
from sqlalchemy.engine import Engine

from services.chassis.outbox import claim_batch, mark_sent, purge_sent

from .database import Database
from .publisher import BatchPublisher

log = logging.getLogger(__name__)


class Relay:
    """Moves committed events from one database's outbox to the broker."""

    def __init__(
        self,
        engine: Engine,
        table: Table,
        service: str,
        amqp_uri: str,
        config: dict,
        answered: Table | None = None,
    ):
        self.engine = engine
        self.table = table
        self.answered = answered  # the answered requests, purged with sent events
        self.owner = uuid.uuid4().hex
        self.batch = int(config["OUTBOX_BATCH"])
        self.lease = float(config["OUTBOX_LEASE_SECONDS"])
        self.keep_sent = float(config["OUTBOX_KEEP_SENT_SECONDS"])
        self.keep_answered = float(config["ANSWERED_REQUESTS_KEEP_SECONDS"])
        self.publisher = BatchPublisher(amqp_uri, f"{service}.events")
        self._last_purge = 0.0

    def relay_once(self) -> int:
        """Publish one batch; returns how many events were sent."""
        with self.engine.begin() as conn:
            rows = claim_batch(conn, self.table, self.owner, self.batch, self.lease)
        if not rows:
            self._maybe_purge()
            return 0
        # Network I/O happens here, outside any transaction.
        self.publisher.publish_batch(
            [
                (row.event_type, row.event_id, row.envelope, json.loads(row.context or "null"))
                for row in rows
            ]
        )
        with self.engine.begin() as conn:
            mark_sent(conn, self.table, [row.id for row in rows])
        return len(rows)

    def relay_all(self) -> int:
        total = 0
        while sent := self.relay_once():
            total += sent
        return total

    def _maybe_purge(self) -> None:
        now = time.time()
        if now - self._last_purge > 3600:
            self._last_purge = now
            with self.engine.begin() as conn:
                purge_sent(conn, self.table, now - self.keep_sent)
                if self.answered is not None:
                    answered_at = self.answered.c.answered_at
                    conn.execute(
                        self.answered.delete().where(answered_at < now - self.keep_answered)
                    )

    def close(self) -> None:
        self.publisher.close()


class OutboxRelay(DependencyProvider):
    """Runs the relay in the service's process, for the service's `Database`. A
    commit through that `Database` wakes it at once; polling every
    OUTBOX_POLL_SECONDS catches events committed by a process that died before
    its relay ran."""

    def __init__(self):
        self._wake = Event()
        self._running = False
        self._thread = None

    def setup(self) -> None:
        # The service's one Database: nameko binds a copy of each dependency per
        # container, so it is found there rather than passed in.
        found = [d for d in self.container.dependencies if isinstance(d, Database)]
        if len(found) != 1:
            raise TypeError(f"{self.container.service_name} needs one `db = Database(Base)`")
        (self.database,) = found
        self.database.committed_listeners.append(self.wake)

    def start(self) -> None:
        config = self.container.config
        self.relay = Relay(
            self.database.engine,
            self.database.metadata.tables["outbox"],
            self.container.service_name,
            config["AMQP_URI"],
            config,
            self.database.metadata.tables.get("answered_requests"),
        )
        self.poll = float(config["OUTBOX_POLL_SECONDS"])
        self._running = True
        self._thread = self.container.spawn_managed_thread(self._run, identifier="outbox-relay")

    def wake(self) -> None:
        if not self._wake.ready():
            self._wake.send(True)

    def _run(self) -> None:
        failures = 0
        while self._running:
            try:
                self.relay.relay_all()
                failures = 0
            except Exception:
                failures += 1
                delay = min(30.0, 0.5 * 2**failures)
                log.exception("outbox relay failed; retrying in %.1fs", delay)
                self.relay.publisher.close()
                eventlet.sleep(delay)
                continue
            with eventlet.Timeout(self.poll, False):
                self._wake.wait()
            if self._wake.ready():
                self._wake.reset()

    def stop(self) -> None:
        self._running = False
        self.wake()
        if self._thread is not None:
            self._thread.wait()
        self.relay.close()

    def kill(self) -> None:
        self._running = False
        if self._thread is not None:
            self._thread.kill()

    def get_dependency(self, worker_ctx):
        return self.relay
