"""The tables every service's database has beside its own: the outbox of events
waiting to be published, the ids of events its handlers have applied, and the
requests its writes have answered (so a request delivered again is answered, not
done again). Their history is the shared migration branch (reliability_versions/)."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)

# SQLite only autoincrements INTEGER PRIMARY KEY; PostgreSQL gets a bigint.
Id = BigInteger().with_variant(Integer(), "sqlite")


class ReliabilityTables(NamedTuple):
    outbox: Table
    applied: Table
    requests: Table


def reliability_tables(metadata: MetaData) -> ReliabilityTables:
    outbox = Table(
        "outbox",
        metadata,
        Column("id", Id, primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("event_type", String(100), nullable=False),
        Column("envelope", Text, nullable=False),
        # nameko context data (the caller) to send as message headers.
        Column("context", Text),
        Column("created_at", Float, nullable=False),
        Column("lease_owner", String(64)),
        Column("lease_until", Float),
        Column("sent_at", Float),
    )
    Index(
        "ix_outbox_pending",
        outbox.c.id,
        sqlite_where=text("sent_at IS NULL"),
        postgresql_where=text("sent_at IS NULL"),
    )
    applied = Table(
        "applied_events",
        metadata,
        Column("consumer", String(200), primary_key=True),
        Column("event_id", String(36), primary_key=True),
        Column("applied_at", Float, nullable=False),
    )
    requests = Table(
        "answered_requests",
        metadata,
        # The caller's request id (its Idempotency-Key, or the gateway's own per request).
        Column("request_id", String(200), primary_key=True),
        Column("method", String(100), primary_key=True),
        # What the request asked, so the same id with other arguments is refused.
        Column("fingerprint", String(64), nullable=False),
        Column("result", Text, nullable=False),
        Column("answered_at", Float, nullable=False, index=True),
    )
    return ReliabilityTables(outbox, applied, requests)
