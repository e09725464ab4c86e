"""The transactional outbox: storing events and claiming them.

`Outbox.emit` stores an event in the same transaction as the change that causes it,
with the caller of that unit of work. The relay (chassis/nameko/relay.py)
claims committed events in batches, publishes them and marks them sent. Rows are
claimed with a lease, so replicas share the work and a relay that dies mid-batch
leaves its rows to be taken again when the lease runs out: delivery is
at-least-once, and handlers are idempotent by the envelope id.
"""

from __future__ import annotations

import json
import time

from sqlalchemy import Table, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from .bulk import insert_rows
from .contract import Contract
from .db import CONTEXT
from .envelope import make_envelope


class Outbox:
    """Records the events of one service: only those its contract declares, each
    stamped with the version the contract gives it."""

    def __init__(self, contract: Contract, table: Table):
        self.contract = contract
        self.service = contract.service
        self.table = table

    def emit(self, session: Session, event_type: str, subject, data: dict) -> dict:
        return self.emit_many(session, [(event_type, subject, data)])[0]

    def emit_many(self, session: Session, events: list[tuple[str, object, dict]]) -> list[dict]:
        """Store (event type, subject, data) events in one statement. They carry the
        caller of the session's unit of work (see DatabaseSession.acting_as)."""
        version = {t: self.contract.event(t).version for t in {t for t, _, _ in events}}
        envelopes = [make_envelope(self.service, t, s, d, version[t]) for t, s, d in events]
        context = session.info.get(CONTEXT)
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
