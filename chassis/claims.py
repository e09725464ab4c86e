"""Claiming work rows: an UPDATE that leases the first `limit` rows a query picks,
which replicas run at once without taking the same rows (the outbox's relay, the
webhook service's deliveries)."""

from __future__ import annotations

from sqlalchemy import Select, Update, update


def claiming(table, key, picked: Select, dialect: str, *where) -> Update:
    """UPDATE of `table` where `key` is among the rows `picked` selects (its ordered,
    limited `key` column) and `where` still holds; the caller adds the values and
    what it returns. On PostgreSQL the rows another replica is claiming are skipped.

    The picked rows are a CTE, run once: as an IN subquery, PostgreSQL ran it again
    for each row the UPDATE scanned, and with SKIP LOCKED each run found rows beyond
    the last's, so one claim could lease far more than its limit (a whole backlog)."""
    if dialect == "postgresql":
        picked = picked.with_for_update(skip_locked=True, of=table)
    picked = picked.cte("picked")
    return update(table).where(key.in_(picked.select()), *where)
