"""Staff development's tables. Only this service reads or writes them."""

from __future__ import annotations

import datetime as dt
import time

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from chassis.branches import BranchColumns, BranchReadModel
from chassis.outbox import Outbox
from chassis.tables import Id, reliability_tables

from .contract import CONTRACT, PROGRAMME_ID, STAFF_ID


class Base(DeclarativeBase):
    pass


outbox_table, applied_events_table, answered_requests_table = reliability_tables(Base.metadata)
outbox = Outbox(CONTRACT, outbox_table)


class Branch(BranchColumns, Base):
    """The catalogue's branches as its branch_updated events tell them: the codes
    staff and venues may name, checked here without asking the catalogue."""


branches = BranchReadModel(Branch)


class Staff(Base):
    __tablename__ = "staff"

    seq: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    # Civil servants only; personal data, never in an event.
    nip: Mapped[str | None] = mapped_column(String(18), unique=True)
    branch_code: Mapped[str] = mapped_column(ForeignKey("branches.code"), nullable=False)
    position: Mapped[str] = mapped_column(String(20), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)
    updated_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __table_args__ = (Index("ix_staff_branch", "branch_code", "seq"),)

    @property
    def id(self) -> str:
        return STAFF_ID.format(self.seq)


class PositionHistory(Base):
    """Each position a member of staff has held, from when."""

    __tablename__ = "position_history"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    staff_seq: Mapped[int] = mapped_column(ForeignKey("staff.seq"), nullable=False, index=True)
    position: Mapped[str] = mapped_column(String(20), nullable=False)
    previous: Mapped[str | None] = mapped_column(String(20))
    effective: Mapped[dt.date] = mapped_column(Date, nullable=False)
    note: Mapped[str | None] = mapped_column(String(500))


class Area(Base):
    """An area of the competency framework (teknologi informasi, ...)."""

    __tablename__ = "competency_areas"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_id: Mapped[str] = mapped_column(String(200), nullable=False)
    name_en: Mapped[str] = mapped_column(String(200), nullable=False)


class Competency(Base):
    __tablename__ = "competencies"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("competency_areas.code"), nullable=False)
    name_id: Mapped[str] = mapped_column(String(200), nullable=False)
    name_en: Mapped[str] = mapped_column(String(200), nullable=False)
    levels: Mapped[int] = mapped_column(Integer, nullable=False, default=4)
    proficient: Mapped[int] = mapped_column(Integer, nullable=False, default=3)


class Requirement(Base):
    """The level a position requires of a competency."""

    __tablename__ = "requirements"

    position: Mapped[str] = mapped_column(String(20), primary_key=True)
    competency_code: Mapped[str] = mapped_column(ForeignKey("competencies.code"), primary_key=True)
    level: Mapped[int] = mapped_column(Integer, nullable=False)


class Programme(Base):
    """A training (pelatihan), workshop or seminar, with its sessions."""

    __tablename__ = "programmes"

    seq: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    topic: Mapped[str] = mapped_column(String(300), nullable=False)
    description: Mapped[str | None] = mapped_column(String(5000))
    hours: Mapped[int] = mapped_column(Integer, nullable=False)
    trainer_staff_seq: Mapped[int | None] = mapped_column(ForeignKey("staff.seq"))
    trainer_name: Mapped[str | None] = mapped_column(String(200))
    capacity: Mapped[int] = mapped_column(Integer, nullable=False)
    completion_percent: Mapped[int] = mapped_column(Integer, nullable=False, default=80)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="draft")
    # feedback's evaluation_summarized, as it came.
    evaluation: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)
    updated_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @property
    def id(self) -> str:
        return PROGRAMME_ID.format(self.seq)


class ProgrammeCompetency(Base):
    """A competency a programme builds, and the level its participants reach."""

    __tablename__ = "programme_competencies"

    programme_seq: Mapped[int] = mapped_column(ForeignKey("programmes.seq"), primary_key=True)
    competency_code: Mapped[str] = mapped_column(ForeignKey("competencies.code"), primary_key=True)
    level: Mapped[int] = mapped_column(Integer, nullable=False)


class ProgrammeSession(Base):
    __tablename__ = "programme_sessions"

    programme_seq: Mapped[int] = mapped_column(ForeignKey("programmes.seq"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    start: Mapped[str] = mapped_column(String(5), nullable=False)
    end: Mapped[str] = mapped_column(String(5), nullable=False)
    venue_kind: Mapped[str] = mapped_column(String(10), nullable=False)
    branch_code: Mapped[str | None] = mapped_column(ForeignKey("branches.code"))
    room: Mapped[str | None] = mapped_column(String(100))
    url: Mapped[str | None] = mapped_column(String(1000))


class Enrolment(Base):
    """A member of staff in a programme: enrolled, waitlisted (in `seq` order),
    withdrawn, and at the end completed or not."""

    __tablename__ = "enrolments"

    seq: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    programme_seq: Mapped[int] = mapped_column(ForeignKey("programmes.seq"), nullable=False)
    staff_seq: Mapped[int] = mapped_column(ForeignKey("staff.seq"), nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    updated_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)

    __table_args__ = (
        UniqueConstraint("programme_seq", "staff_seq", name="uq_enrolments_staff"),
        Index("ix_enrolments_programme_status", "programme_seq", "status", "seq"),
    )


class Attendance(Base):
    __tablename__ = "attendance"

    programme_seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_seq: Mapped[int] = mapped_column(ForeignKey("staff.seq"), primary_key=True)
    present: Mapped[bool] = mapped_column(Boolean, nullable=False)
    recorded_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)

    __table_args__ = (
        ForeignKeyConstraint(
            ["programme_seq", "session_number"],
            ["programme_sessions.programme_seq", "programme_sessions.number"],
        ),
    )


class Evidence(Base):
    """A competency shown at a level, and what shows it (a completed programme)."""

    __tablename__ = "competency_evidence"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    staff_seq: Mapped[int] = mapped_column(ForeignKey("staff.seq"), nullable=False, index=True)
    competency_code: Mapped[str] = mapped_column(ForeignKey("competencies.code"), nullable=False)
    level: Mapped[int] = mapped_column(Integer, nullable=False)
    programme_seq: Mapped[int] = mapped_column(ForeignKey("programmes.seq"), nullable=False)
    attained_on: Mapped[dt.date] = mapped_column(Date, nullable=False)


class Certificate(Base):
    """Issued on completing a programme; checked by anyone by its code."""

    __tablename__ = "certificates"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    staff_seq: Mapped[int] = mapped_column(ForeignKey("staff.seq"), nullable=False)
    programme_seq: Mapped[int] = mapped_column(ForeignKey("programmes.seq"), nullable=False)
    # The name as printed: a later change of name does not change a certificate.
    holder: Mapped[str] = mapped_column(String(200), nullable=False)
    issued_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    revoked_at: Mapped[float | None] = mapped_column(Float)
    revoked_reason: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (UniqueConstraint("programme_seq", "staff_seq", name="uq_certificates"),)


class Rating(Base):
    """A year's performance rating (predikat kinerja): what the year's credit
    points (angka kredit) are counted from."""

    __tablename__ = "ratings"

    staff_seq: Mapped[int] = mapped_column(ForeignKey("staff.seq"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    rating: Mapped[str] = mapped_column(String(20), nullable=False)
    months: Mapped[int] = mapped_column(Integer, nullable=False, default=12)
