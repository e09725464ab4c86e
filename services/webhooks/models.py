"""The webhook service's tables. Only this service reads or writes them."""

from __future__ import annotations

import time

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from chassis.outbox import Outbox
from chassis.tables import Id, reliability_tables

from .contract import CONTRACT, DELIVERY_ID, ENDPOINT_ID


class Base(DeclarativeBase):
    pass


outbox_table, applied_events_table, answered_requests_table = reliability_tables(Base.metadata)
outbox = Outbox(CONTRACT, outbox_table)


class Endpoint(Base):
    """Where an integrator wants events, which ones, and the secret that signs them."""

    __tablename__ = "endpoints"

    seq: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    owner: Mapped[str] = mapped_column(String(100), nullable=False, index=True)
    url: Mapped[str] = mapped_column(String(2000), nullable=False)
    event_types: Mapped[list] = mapped_column(JSON, nullable=False)
    ordered: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    description: Mapped[str | None] = mapped_column(String(200))
    secret: Mapped[str] = mapped_column(String(100), nullable=False)
    # After a rotation, the old secret signs too until previous_secret_until.
    previous_secret: Mapped[str | None] = mapped_column(String(100))
    previous_secret_until: Mapped[float | None] = mapped_column(Float)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    disabled_at: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)
    updated_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)

    @property
    def id(self) -> str:
        return ENDPOINT_ID.format(self.seq)


WAITING = text("status = 'waiting'")


class Delivery(Base):
    """One event for one endpoint: pending until a 2xx answer, or failed when its
    time runs out; waiting while its endpoint is disabled, dropped (its envelope
    no longer kept) beyond the bounds of waiting (waiting.py). The envelope is kept
    as it will be sent (the signed body)."""

    __tablename__ = "deliveries"

    seq: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    endpoint_seq: Mapped[int] = mapped_column(ForeignKey("endpoints.seq"), nullable=False)
    event_id: Mapped[str] = mapped_column(String(36), nullable=False)
    event_type: Mapped[str] = mapped_column(String(200), nullable=False)
    subject: Mapped[str] = mapped_column(String(200), nullable=False)
    envelope: Mapped[str] = mapped_column(Text, nullable=False)
    # Copied from the endpoint: claiming an ordered delivery waits for its subject's
    # earlier ones.
    ordered: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="pending")
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # Its last attempt got no answer at all (the endpoint was down, not refusing it).
    unreachable: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    next_attempt_at: Mapped[float] = mapped_column(Float, nullable=False)
    give_up_at: Mapped[float] = mapped_column(Float, nullable=False)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)
    delivered_at: Mapped[float | None] = mapped_column(Float)
    last_error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("endpoint_seq", "event_id", name="uq_deliveries_endpoint_event"),
        Index("ix_deliveries_due", "status", "next_attempt_at"),
        Index("ix_deliveries_subject", "endpoint_seq", "subject", "seq"),
        Index("ix_deliveries_created", "endpoint_seq", "created_at"),
        # Only the waiting ones: how many wait for an endpoint, at no cost to others.
        Index(
            "ix_deliveries_waiting",
            "endpoint_seq",
            "seq",
            sqlite_where=WAITING,
            postgresql_where=WAITING,
        ),
    )

    @property
    def id(self) -> str:
        return DELIVERY_ID.format(self.seq)


class Attempt(Base):
    """One POST of a delivery: its answer's status (or the error), latency and the
    start of what it answered."""

    __tablename__ = "attempts"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    delivery_seq: Mapped[int] = mapped_column(
        ForeignKey("deliveries.seq"), nullable=False, index=True
    )
    attempted_at: Mapped[float] = mapped_column(Float, nullable=False)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    latency_ms: Mapped[float] = mapped_column(Float, nullable=False)
    response: Mapped[str | None] = mapped_column(Text)
