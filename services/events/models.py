"""Community programmes' tables. Only this service reads or writes them.

Times are epoch seconds (UTC); what a person reads is shown in the branch's own
zone, Asia/Jakarta (times.py). An occurrence keeps its month there, so a month's
figures are one indexed range of rows."""

from __future__ import annotations

import datetime as dt
import time

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from chassis.branches import BranchColumns, BranchReadModel
from chassis.outbox import Outbox
from chassis.tables import Id, reliability_tables

from .contract import CONTRACT, OCCURRENCE_ID, PARTNER_ID, PROGRAMME_ID, REGISTRATION_ID


class Base(DeclarativeBase):
    pass


outbox_table, applied_events_table, answered_requests_table = reliability_tables(Base.metadata)
outbox = Outbox(CONTRACT, outbox_table)


class Branch(BranchColumns, Base):
    """The catalogue's branches as its branch_updated events tell them."""


branches = BranchReadModel(Branch)


class Staff(Base):
    """The people service's staff as its events tell them: who may present."""

    __tablename__ = "staff"

    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    branch_code: Mapped[str] = mapped_column(String(10), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    updated_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)


class Partner(Base):
    """A school, university, community organisation, government office or business
    that co-hosts programmes under an agreement (MoU)."""

    __tablename__ = "partners"

    seq: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    agreement_from: Mapped[dt.date] = mapped_column(Date, nullable=False)
    agreement_until: Mapped[dt.date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="active")
    updated_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)

    @property
    def id(self) -> str:
        return PARTNER_ID.format(self.seq)

    def may_cohost(self, on: dt.date) -> bool:
        return self.status == "active" and self.agreement_from <= on <= self.agreement_until


class Programme(Base):
    __tablename__ = "programmes"

    seq: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    programme_type: Mapped[str] = mapped_column(String(30), nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    description: Mapped[str | None] = mapped_column(String(5000))
    audience: Mapped[str] = mapped_column(String(20), nullable=False)
    branch_code: Mapped[str] = mapped_column(ForeignKey("branches.code"), nullable=False)
    room: Mapped[str | None] = mapped_column(String(100))
    capacity: Mapped[int] = mapped_column(Integer, nullable=False)
    registration_opens: Mapped[float | None] = mapped_column(Float)
    registration_closes: Mapped[float | None] = mapped_column(Float)
    presenter_staff_id: Mapped[str | None] = mapped_column(String(20))
    presenter_name: Mapped[str | None] = mapped_column(String(200))
    host_partner_seq: Mapped[int | None] = mapped_column(ForeignKey("partners.seq"))
    quota_release_hours: Mapped[int] = mapped_column(Integer, nullable=False, default=24)
    # The schedule as given: first start (WIB, naive ISO), length, RRULE of a series.
    first_start: Mapped[str | None] = mapped_column(String(19))
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    rrule: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="draft")
    # The community idea it came from (feedback's suggestion_approved): one draft each.
    suggestion_id: Mapped[str | None] = mapped_column(String(50), unique=True)
    created_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)
    updated_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __table_args__ = (Index("ix_programmes_branch", "branch_code", "seq"),)

    @property
    def id(self) -> str:
        return PROGRAMME_ID.format(self.seq)


class CoHost(Base):
    """A partner co-hosting a programme, with the seats kept for its people."""

    __tablename__ = "cohosts"

    programme_seq: Mapped[int] = mapped_column(ForeignKey("programmes.seq"), primary_key=True)
    partner_seq: Mapped[int] = mapped_column(ForeignKey("partners.seq"), primary_key=True)
    seats: Mapped[int] = mapped_column(Integer, nullable=False)


class Occurrence(Base):
    """One sitting of a programme (the only one, or one of its series). Its row is
    what registrations lock: the seats are counted one registration at a time."""

    __tablename__ = "occurrences"

    seq: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    programme_seq: Mapped[int] = mapped_column(ForeignKey("programmes.seq"), nullable=False)
    starts_at: Mapped[float] = mapped_column(Float, nullable=False)
    ends_at: Mapped[float] = mapped_column(Float, nullable=False)
    month: Mapped[str] = mapped_column(String(7), nullable=False)  # YYYY-MM, WIB
    room: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="scheduled")
    # iCalendar's SEQUENCE: bumped by each change a calendar app must see.
    sequence: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    updated_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)

    __table_args__ = (
        Index("ix_occurrences_programme", "programme_seq", "starts_at"),
        Index("ix_occurrences_starts", "starts_at"),
        Index("ix_occurrences_month", "month", "status"),
    )

    @property
    def id(self) -> str:
        return OCCURRENCE_ID.format(self.seq)


class Registration(Base):
    """A participant in one occurrence: confirmed, waitlisted (in `seq` order),
    cancelled, or a walk-in recorded at the door. `pool` is the partner whose seats
    it holds (none: the general pool)."""

    __tablename__ = "registrations"

    seq: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    occurrence_seq: Mapped[int] = mapped_column(ForeignKey("occurrences.seq"), nullable=False)
    # The person, as their contact normalised: the same person twice is refused.
    person_key: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(String(200))
    age_group: Mapped[str | None] = mapped_column(String(10))
    partner_seq: Mapped[int | None] = mapped_column(ForeignKey("partners.seq"))
    pool_partner_seq: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    was_waitlisted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    code: Mapped[str] = mapped_column(String(8), nullable=False, unique=True)
    checked_in_at: Mapped[float | None] = mapped_column(Float)
    reminder_due_at: Mapped[float | None] = mapped_column(Float)
    reminded_at: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)
    updated_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)

    __table_args__ = (
        UniqueConstraint("occurrence_seq", "person_key", name="uq_registrations_person"),
        Index("ix_registrations_occurrence", "occurrence_seq", "status", "seq"),
        Index(
            "ix_registrations_reminder",
            "reminder_due_at",
            sqlite_where=text("reminded_at IS NULL"),
            postgresql_where=text("reminded_at IS NULL"),
        ),
    )

    @property
    def id(self) -> str:
        return REGISTRATION_ID.format(self.seq)
