"""Insight's tables. Only this service reads or writes them.

Two kinds: what the library enters here (the visitors' book, the monthly member
counts), and the read models of the other services' records, one row per record
with only the fields a figure needs, filled from their events or rebuilt from their
current state (backfill.py). The figures are sums over these rows (figures.py), so
the same record told twice, or told by an event and by a rebuild, counts once.
"""

from __future__ import annotations

import datetime as dt
import time

from sqlalchemy import JSON, Boolean, Date, Float, Index, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from chassis.branches import BranchColumns, BranchReadModel
from chassis.tables import reliability_tables


class Base(DeclarativeBase):
    pass


outbox_table, applied_events_table, answered_requests_table = reliability_tables(Base.metadata)


class Branch(BranchColumns, Base):
    """The catalogue's branches as its branch_updated events tell them."""


branches = BranchReadModel(Branch)


# -- entered here ---------------------------------------------------------------------------
class VisitTally(Base):
    """How many visitors of one purpose and age group a branch had on a day: from the
    entries at the door (`headcount` false, one added per visitor) or counted by hand
    (`headcount` true, the day's count replaced whole)."""

    __tablename__ = "visit_tallies"

    branch: Mapped[str] = mapped_column(String(10), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    headcount: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    purpose: Mapped[str] = mapped_column(String(20), primary_key=True)
    age_group: Mapped[str] = mapped_column(String(10), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, nullable=False)

    __table_args__ = (Index("ix_visit_tallies_day", "day", "branch"),)


class VisitCard(Base):
    """A library card seen at a branch on a day: members among visitors are counted
    from these; the number itself is never shown."""

    __tablename__ = "visit_cards"

    branch: Mapped[str] = mapped_column(String(10), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    card: Mapped[str] = mapped_column(String(40), primary_key=True)


class MemberCount(Base):
    """A branch's members at the end of a month, entered or imported by headquarters."""

    __tablename__ = "member_counts"

    branch: Mapped[str] = mapped_column(String(10), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # 2026-03
    members: Mapped[int] = mapped_column(Integer, nullable=False)
    new_members: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)


# -- read models of the others' records --------------------------------------------------------
class Title(Base):
    """A catalogued title (a withdrawn one is removed)."""

    __tablename__ = "titles"

    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    material_type: Mapped[str] = mapped_column(String(20), nullable=False)
    from_suggestion: Mapped[bool] = mapped_column(Boolean, nullable=False)
    month: Mapped[str] = mapped_column(String(7), nullable=False)  # catalogued in


class Holding(Base):
    """A title's copies at a branch: every copy the catalogue lists (as its
    availability totals count them, lost and withdrawn ones too)."""

    __tablename__ = "holdings"

    title_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    branch: Mapped[str] = mapped_column(String(10), primary_key=True)
    copies: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class Copy(Base):
    """A copy (the catalogue's item) by its barcode: its branch, its status as of the
    catalogue's time of that status, and the month it was added in (unknown while
    only a change of its status has been told)."""

    __tablename__ = "copies"

    barcode: Mapped[str] = mapped_column(String(32), primary_key=True)
    title_id: Mapped[str | None] = mapped_column(String(20), index=True)
    branch: Mapped[str] = mapped_column(String(10), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    status_at: Mapped[float] = mapped_column(Float, nullable=False)  # the item's updated_at
    month: Mapped[str | None] = mapped_column(String(7))  # added in

    __table_args__ = (Index("ix_copies_branch_month", "branch", "month"),)


class Staff(Base):
    """A member of staff by id: branch, position, active; no name."""

    __tablename__ = "staff"

    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    branch: Mapped[str] = mapped_column(String(10), nullable=False)
    position: Mapped[str] = mapped_column(String(30), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False)


class Completion(Base):
    """A staff member's completion of a development programme, with its hours (JP)."""

    __tablename__ = "completions"

    programme_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    staff_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    branch: Mapped[str] = mapped_column(String(10), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    hours: Mapped[int] = mapped_column(Integer, nullable=False)
    month: Mapped[str] = mapped_column(String(7), nullable=False)


class Certificate(Base):
    __tablename__ = "certificates"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    staff_id: Mapped[str] = mapped_column(String(20), nullable=False)
    month: Mapped[str] = mapped_column(String(7), nullable=False)  # issued in
    revoked: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class Attainment(Base):
    """A competency a staff member attained at a level."""

    __tablename__ = "attainments"

    staff_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    competency: Mapped[str] = mapped_column(String(40), primary_key=True)
    level: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7), nullable=False)


class Requirement(Base):
    """The level a position requires of a competency (people's framework)."""

    __tablename__ = "requirements"

    position: Mapped[str] = mapped_column(String(30), primary_key=True)
    competency: Mapped[str] = mapped_column(String(40), primary_key=True)
    level: Mapped[int] = mapped_column(Integer, nullable=False)


class Occurrence(Base):
    """A community programme's sitting, held, with its attendance."""

    __tablename__ = "occurrences"

    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    programme_id: Mapped[str] = mapped_column(String(20), nullable=False)
    branch: Mapped[str] = mapped_column(String(10), nullable=False)
    programme_type: Mapped[str] = mapped_column(String(30), nullable=False)
    audience: Mapped[str] = mapped_column(String(20), nullable=False)
    month: Mapped[str] = mapped_column(String(7), nullable=False)
    registered: Mapped[int] = mapped_column(Integer, nullable=False)
    attended: Mapped[int] = mapped_column(Integer, nullable=False)
    walk_ins: Mapped[int] = mapped_column(Integer, nullable=False)
    no_shows: Mapped[int] = mapped_column(Integer, nullable=False)
    partnered: Mapped[bool] = mapped_column(Boolean, nullable=False)


class Attendee(Base):
    """One check-in (a registration id, no person): its age group."""

    __tablename__ = "attendees"

    registration_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    occurrence_id: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    branch: Mapped[str] = mapped_column(String(10), nullable=False)
    age_group: Mapped[str] = mapped_column(String(10), nullable=False)
    walk_in: Mapped[bool] = mapped_column(Boolean, nullable=False)


class Campaign(Base):
    """A feedback campaign about a branch's service or programme, and its result."""

    __tablename__ = "campaigns"

    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    branch: Mapped[str | None] = mapped_column(String(10))
    template: Mapped[str | None] = mapped_column(String(40))
    month: Mapped[str | None] = mapped_column(String(7))  # opened in
    responses: Mapped[int | None] = mapped_column(Integer)
    nps: Mapped[float | None] = mapped_column(Float)
    satisfaction_index: Mapped[float | None] = mapped_column(Float)
    satisfaction_grade: Mapped[str | None] = mapped_column(String(2))
    # {dimension: perceived - minimum} of its LibQUAL+ items, as its summary told them
    adequacy_gaps: Mapped[dict | None] = mapped_column(JSON)


class Ticket(Base):
    """A visitor's ticket: category and branch, when answered and how fast; no text."""

    __tablename__ = "tickets"

    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    branch: Mapped[str] = mapped_column(String(10), nullable=False)
    category: Mapped[str] = mapped_column(String(20), nullable=False)
    month: Mapped[str | None] = mapped_column(String(7))  # opened in
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    days: Mapped[float | None] = mapped_column(Float)
    answered_month: Mapped[str | None] = mapped_column(String(7))


class Suggestion(Base):
    __tablename__ = "suggestions"

    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    branch: Mapped[str | None] = mapped_column(String(10))
    month: Mapped[str | None] = mapped_column(String(7))  # submitted in
    fulfilled_month: Mapped[str | None] = mapped_column(String(7))


class SourceMark(Base):
    """How fresh the model of one service is: events applied, the newest one's time."""

    __tablename__ = "source_marks"

    source: Mapped[str] = mapped_column(String(20), primary_key=True)
    events: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_event_at: Mapped[float | None] = mapped_column(Float)
    rebuilt_at: Mapped[float | None] = mapped_column(Float)  # the state its rebuild read


class RebuildLease(Base):
    """Who is rebuilding the read models, and until when unless it renews: one
    rebuild at a time. Two at once (an admin's and a process's first) each write the
    state it read, and the one that read earlier could write its pages last."""

    __tablename__ = "rebuild_lease"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # one row, set by i0004
    holder: Mapped[str] = mapped_column(String(80), nullable=False)
    until: Mapped[float] = mapped_column(Float, nullable=False)


# The read models a rebuild replaces, in the order it clears them.
READ_MODELS = (
    Title,
    Holding,
    Copy,
    Staff,
    Completion,
    Certificate,
    Attainment,
    Requirement,
    Occurrence,
    Attendee,
    Campaign,
    Ticket,
    Suggestion,
)
