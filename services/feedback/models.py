"""Feedback's tables. Only this service reads or writes them."""

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

from .contract import CAMPAIGN_ID, CONTRACT, SUGGESTION_ID, TICKET_ID


class Base(DeclarativeBase):
    pass


outbox_table, applied_events_table, answered_requests_table = reliability_tables(Base.metadata)
outbox = Outbox(CONTRACT, outbox_table)


class Branch(BranchColumns, Base):
    """The catalogue's branches as its branch_updated events tell them."""


branches = BranchReadModel(Branch)


class Template(Base):
    """One version of a survey template. A version, once written, never changes."""

    __tablename__ = "templates"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name_id: Mapped[str] = mapped_column(String(500), nullable=False)
    name_en: Mapped[str] = mapped_column(String(500), nullable=False)
    questions: Mapped[list] = mapped_column(JSON, nullable=False)
    built_in: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)


class Campaign(Base):
    """A template version applied to a subject (a programme, an occurrence of a
    community event, a branch's service) between two days."""

    __tablename__ = "campaigns"

    seq: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    template_code: Mapped[str] = mapped_column(String(40), nullable=False)
    template_version: Mapped[int] = mapped_column(Integer, nullable=False)
    subject_type: Mapped[str] = mapped_column(String(20), nullable=False)
    subject_id: Mapped[str] = mapped_column(String(50), nullable=False)
    title: Mapped[str] = mapped_column(String(500), nullable=False)
    branch_code: Mapped[str | None] = mapped_column(String(10))
    partners: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    opens_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    closes_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="open")
    # The public link's secret part; none for a campaign by invitation only.
    public_code: Mapped[str | None] = mapped_column(String(22), unique=True)
    invited: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    responses: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    summary: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)

    __table_args__ = (
        # Opened once per subject, however often the event that opens it arrives.
        UniqueConstraint(
            "template_code", "subject_type", "subject_id", name="uq_campaigns_subject"
        ),
        Index("ix_campaigns_branch", "branch_code", "seq"),
    )

    @property
    def id(self) -> str:
        return CAMPAIGN_ID.format(self.seq)


class Invitation(Base):
    """A respondent invited to a campaign, with their one-time token."""

    __tablename__ = "invitations"

    seq: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    campaign_seq: Mapped[int] = mapped_column(ForeignKey("campaigns.seq"), nullable=False)
    respondent: Mapped[str] = mapped_column(String(50), nullable=False)
    token: Mapped[str] = mapped_column(String(22), nullable=False, unique=True)
    used_on: Mapped[dt.date | None] = mapped_column(Date)

    __table_args__ = (
        UniqueConstraint("campaign_seq", "respondent", name="uq_invitations_respondent"),
    )


class Response(Base):
    """One response. Its id is random (no order to match against anything); an
    anonymous one holds its day only and no invitation."""

    __tablename__ = "responses"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    campaign_seq: Mapped[int] = mapped_column(ForeignKey("campaigns.seq"), nullable=False)
    invitation_seq: Mapped[int | None] = mapped_column(ForeignKey("invitations.seq"))
    submitted_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    answers: Mapped[dict] = mapped_column(JSON, nullable=False)

    # A campaign's latest comments are read without sorting all its responses. On
    # SQLite the rows are kept in the order of their random ids (WITHOUT ROWID), not
    # in the order they came: that order would say which response came when.
    __table_args__ = (
        Index("ix_responses_campaign_day", "campaign_seq", "submitted_on"),
        {"sqlite_with_rowid": False},
    )


class Tally(Base):
    """How many answers of a campaign's question (and LibQUAL+ part) had each value
    in a month: every figure of the results is counted from these, so a campaign
    of 100,000 responses is summed over a few hundred rows, not read whole."""

    __tablename__ = "tallies"

    campaign_seq: Mapped[int] = mapped_column(ForeignKey("campaigns.seq"), primary_key=True)
    question: Mapped[str] = mapped_column(String(40), primary_key=True)
    part: Mapped[str] = mapped_column(String(10), primary_key=True)  # "" or a LibQUAL+ part
    value: Mapped[str] = mapped_column(String(40), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # 2026-03
    count: Mapped[int] = mapped_column(Integer, nullable=False)


class Ticket(Base):
    """A visitor's complaint, question or praise, and the library's answer."""

    __tablename__ = "tickets"

    seq: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    category: Mapped[str] = mapped_column(String(20), nullable=False)
    branch_code: Mapped[str] = mapped_column(String(10), nullable=False)
    message: Mapped[str] = mapped_column(String(5000), nullable=False)
    # Personal data: never in an event.
    contact: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="received")
    response: Mapped[str | None] = mapped_column(String(5000))
    opened_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)
    resolved_at: Mapped[float | None] = mapped_column(Float)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __table_args__ = (Index("ix_tickets_branch", "branch_code", "seq"),)

    @property
    def id(self) -> str:
        return TICKET_ID.format(self.seq)


class Suggestion(Base):
    """A title for the collection or an idea for a programme, from the community."""

    __tablename__ = "suggestions"

    seq: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    title: Mapped[str] = mapped_column(String(500), nullable=False)
    authors: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    isbn: Mapped[str | None] = mapped_column(String(13))
    reason: Mapped[str | None] = mapped_column(String(2000))
    programme_type: Mapped[str | None] = mapped_column(String(40))
    audience: Mapped[str | None] = mapped_column(String(20))
    branch_code: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="submitted")
    votes: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    decision: Mapped[str | None] = mapped_column(String(1000))
    # The catalogue's acquisition (ACQ...) an approved collection suggestion became.
    acquisition_ref: Mapped[str | None] = mapped_column(String(50), index=True)
    fulfilled_by: Mapped[str | None] = mapped_column(String(50))
    # The branches its title's copies were added at, as the catalogue told
    # (acquisition_shelved).
    shelved_at: Mapped[list | None] = mapped_column(JSON)
    submitted_on: Mapped[dt.date] = mapped_column(Date, nullable=False)

    @property
    def id(self) -> str:
        return SUGGESTION_ID.format(self.seq)


class Vote(Base):
    """One member's support of one suggestion (the suggester's own included)."""

    __tablename__ = "votes"

    suggestion_seq: Mapped[int] = mapped_column(ForeignKey("suggestions.seq"), primary_key=True)
    member: Mapped[str] = mapped_column(String(40), primary_key=True)


class SupporterContact(Base):
    """How to tell one supporter that the suggestion they backed was fulfilled: given
    with their vote, as their consent to be told. Personal data, so a table apart
    from the votes: headquarters' notifier reads it once the suggestion is fulfilled,
    a rejection erases it, and counting or showing votes never touches it."""

    __tablename__ = "supporter_contacts"

    seq: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    suggestion_seq: Mapped[int] = mapped_column(Id, nullable=False)
    member: Mapped[str] = mapped_column(String(40), nullable=False)
    contact: Mapped[str] = mapped_column(String(254), nullable=False)

    __table_args__ = (
        # One per vote: one per card per suggestion, and only beside a vote.
        UniqueConstraint("suggestion_seq", "member", name="uq_supporter_contacts_vote"),
        ForeignKeyConstraint(
            ["suggestion_seq", "member"], ["votes.suggestion_seq", "votes.member"],
            name="fk_supporter_contacts_vote",
        ),
    )  # fmt: skip
