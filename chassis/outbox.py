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
from functools import cache

from sqlalchemy import Table, Update, bindparam, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from .claims import claiming
from .contract import Contract
from .db import CONTEXT, store_at_end
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
        """Store (event type, subject, data) events, in one statement at the end of the
        transaction (chassis/db.py, EVENTS_TO_STORE). They carry the caller of the
        session's unit of work (see DatabaseSession.acting_as)."""
        version = {t: self.contract.event(t).version for t in {t for t, _, _ in events}}
        envelopes = [make_envelope(self.service, t, s, d, version[t]) for t, s, d in events]
        context = session.info.get(CONTEXT)
        now, context_json = time.time(), json.dumps(context) if context else None
        store_at_end(
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


def claim_batch(conn: Connection, table: Table, owner: str, limit: int, lease: float) -> list:
    """Lease up to `limit` unsent events to `owner`; returns them oldest first."""
    now = time.time()
    claiming = _claiming(table, conn.dialect.name, limit)
    claimed = conn.execute(claiming, {"claim_now": now, "owner": owner, "until": now + lease})
    return sorted(claimed.all(), key=lambda row: row.id)


def claim_committed(conn: Connection, table: Table, owner: str, ids: list, lease: float) -> list:
    """Lease to `owner` those of the events `ids` (just committed) still unsent and
    unleased; returns them oldest first. Each is found by its key, so this costs the
    same however long the outbox's history: a search for unsent rows walks, on
    PostgreSQL, every row sent since its table was last vacuumed."""
    now = time.time()
    params = {"ids": ids, "claim_now": now, "owner": owner, "until": now + lease}
    claimed = conn.execute(_claiming_ids(table), params)
    return sorted(claimed.all(), key=lambda row: row.id)


def mark_sent(conn: Connection, table: Table, ids: list[int]) -> None:
    conn.execute(_marking_sent(table), {"ids": ids, "sent_now": time.time()})


# Each statement built once per table (SQLAlchemy would build them anew for every
# batch, at a cost near that of running them): the relay runs them for every write.
@cache
def _claiming(table: Table, dialect: str, limit: int):
    claimable = _claimable(table)
    picked = select(table.c.id).where(*claimable).order_by(table.c.id).limit(limit)
    return _leased(claiming(table, table.c.id, picked, dialect, *claimable))


@cache
def _claiming_ids(table: Table):
    where = (table.c.id.in_(bindparam("ids", expanding=True)), *_claimable(table))
    return _leased(update(table).where(*where))


def _claimable(table: Table) -> tuple:
    """Unsent, and leased to no relay (or its lease has run out)."""
    now = bindparam("claim_now")
    return table.c.sent_at.is_(None), or_(table.c.lease_until.is_(None), table.c.lease_until < now)


def _leased(claim: Update):
    """`claim` leasing its rows, returning what the relay publishes of each."""
    table = claim.table
    return claim.values(lease_owner=bindparam("owner"), lease_until=bindparam("until")).returning(
        table.c.id, table.c.event_id, table.c.event_type, table.c.envelope, table.c.context
    )


@cache
def _marking_sent(table: Table):
    return (
        update(table)
        .where(table.c.id.in_(bindparam("ids", expanding=True)))
        .values(sent_at=bindparam("sent_now"))
    )


def purge_sent(conn: Connection, table: Table, older_than: float) -> int:
    result = conn.execute(
        table.delete().where(table.c.sent_at.is_not(None), table.c.sent_at < older_than)
    )
    return result.rowcount
