"""The transactional outbox.

`Outbox.emit` stores an event in the same transaction as the change that causes it.
The relay (`OutboxRelay`, a nameko dependency) publishes committed events in
batches with publisher confirms, then marks them sent. Rows are claimed with a
lease, so replicas share the work and a relay that dies mid-batch leaves its rows
to be taken again when the lease runs out: delivery is at-least-once, and handlers
are idempotent by the envelope id.
"""

from __future__ import annotations

import json
import logging
import time
import uuid

import eventlet
from eventlet.event import Event
from nameko.extensions import DependencyProvider
from sqlalchemy import Table, or_, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from .bulk import insert_rows
from .db import Database
from .envelope import make_envelope
from .publisher import BatchPublisher

log = logging.getLogger(__name__)


class Outbox:
    """Records events of one service; free of nameko so domain logic can use it alone."""

    def __init__(self, service: str, table: Table):
        self.service = service
        self.table = table

    def emit(
        self,
        session: Session,
        event_type: str,
        subject,
        data: dict,
        version: int = 1,
        context: dict | None = None,
    ) -> dict:
        return self.emit_many(session, [(event_type, subject, data)], version, context)[0]

    def emit_many(
        self,
        session: Session,
        events: list[tuple[str, object, dict]],
        version: int = 1,
        context: dict | None = None,
    ) -> list[dict]:
        """Store (event type, subject, data) events in one statement."""
        envelopes = [make_envelope(self.service, t, s, d, version) for t, s, d in events]
        now, context_json = time.time(), json.dumps(context) if context else None
        insert_rows(
            session,
            self.table,
            [
                {
                    "event_id": envelope["id"],
                    "event_type": event_type,
                    "envelope": json.dumps(envelope, separators=(",", ":")),
                    "context": context_json,
                    "created_at": now,
                }
                for envelope, (event_type, _, _) in zip(envelopes, events, strict=True)
            ],
        )
        return envelopes


def _claimable(table: Table, now: float):
    return (
        table.c.sent_at.is_(None),
        or_(table.c.lease_until.is_(None), table.c.lease_until < now),
    )


def claim_batch(conn: Connection, table: Table, owner: str, limit: int, lease: float) -> list:
    """Lease up to `limit` unsent events to `owner`; returns them oldest first."""
    now = time.time()
    pending = select(table.c.id).where(*_claimable(table, now)).order_by(table.c.id).limit(limit)
    if conn.dialect.name == "postgresql":
        pending = pending.with_for_update(skip_locked=True)
    claimed = conn.execute(
        update(table)
        .where(table.c.id.in_(pending.scalar_subquery()), *_claimable(table, now))
        .values(lease_owner=owner, lease_until=now + lease)
        .returning(
            table.c.id, table.c.event_id, table.c.event_type, table.c.envelope, table.c.context
        )
    ).all()
    return sorted(claimed, key=lambda row: row.id)


def mark_sent(conn: Connection, table: Table, ids: list[int]) -> None:
    conn.execute(update(table).where(table.c.id.in_(ids)).values(sent_at=time.time()))


def purge_sent(conn: Connection, table: Table, older_than: float) -> int:
    result = conn.execute(
        table.delete().where(table.c.sent_at.is_not(None), table.c.sent_at < older_than)
    )
    return result.rowcount


class Relay:
    """Moves committed events from one database's outbox to the broker."""

    def __init__(self, engine: Engine, table: Table, service: str, amqp_uri: str, config: dict):
        self.engine = engine
        self.table = table
        self.owner = uuid.uuid4().hex
        self.batch = int(config.get("OUTBOX_BATCH", 500))
        self.lease = float(config.get("OUTBOX_LEASE_SECONDS", 30))
        self.keep_sent = float(config.get("OUTBOX_KEEP_SENT_SECONDS", 7 * 86400))
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
        (self.database,) = [d for d in self.container.dependencies if isinstance(d, Database)]
        self.database.committed_listeners.append(self.wake)

    def start(self) -> None:
        config = self.container.config
        self.relay = Relay(
            self.database.engine,
            self.database.metadata.tables["outbox"],
            self.container.service_name,
            config["AMQP_URI"],
            config,
        )
        self.poll = float(config.get("OUTBOX_POLL_SECONDS", 1.0))
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
