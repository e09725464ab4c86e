"""The catalogue's tables. Only this service reads or writes them."""

from __future__ import annotations

import time

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from chassis.outbox import Outbox
from chassis.tables import Id, reliability_tables

from .contract import ACQUISITION_ID, CONTRACT, TITLE_ID


class Base(DeclarativeBase):
    pass


outbox_table, applied_events_table, answered_requests_table = reliability_tables(Base.metadata)
outbox = Outbox(CONTRACT, outbox_table)


class Branch(Base):
    __tablename__ = "branches"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    address: Mapped[str | None] = mapped_column(String(500))
    updated_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)


class Location(Base):
    """A shelving location within a branch: REF (reference), ANAK (children's)..."""

    __tablename__ = "locations"

    branch_code: Mapped[str] = mapped_column(ForeignKey("branches.code"), primary_key=True)
    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)


class Title(Base):
    """A bibliographic record: a book, magazine, journal, e-book, database..."""

    __tablename__ = "titles"

    seq: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    material_type: Mapped[str] = mapped_column(String(20), nullable=False)
    title: Mapped[str] = mapped_column(String(500), nullable=False)
    subtitle: Mapped[str | None] = mapped_column(String(500))
    authors: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    subjects: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    publisher: Mapped[str | None] = mapped_column(String(300))
    year: Mapped[int | None] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(3), nullable=False, default="ind")
    isbn: Mapped[str | None] = mapped_column(String(13), unique=True)
    issn: Mapped[str | None] = mapped_column(String(9))
    call_number: Mapped[str | None] = mapped_column(String(50))
    description: Mapped[str | None] = mapped_column(Text)
    access_url: Mapped[str | None] = mapped_column(String(1000))
    acquisition_ref: Mapped[str | None] = mapped_column(String(50))
    # Identity of the MARC record it was imported from: a re-import finds it here.
    record_key: Mapped[str | None] = mapped_column(String(200))
    # Words and their Indonesian roots (see text.py): what full-text search indexes.
    search_doc: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_by: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)
    updated_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)
    # A withdrawn title is kept as a tombstone, so harvesters learn of the deletion.
    withdrawn_at: Mapped[float | None] = mapped_column(Float)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __table_args__ = (
        Index("ix_titles_updated", "updated_at", "seq"),
        UniqueConstraint("record_key", name="uq_titles_record_key"),
    )

    @property
    def id(self) -> str:
        return TITLE_ID.format(self.seq)


class TitleSubject(Base):
    """Each subject of each title, folded: what the subject filter and facet use."""

    __tablename__ = "title_subjects"

    subject: Mapped[str] = mapped_column(String(200), primary_key=True)
    title_seq: Mapped[int] = mapped_column(ForeignKey("titles.seq"), primary_key=True, index=True)


class SearchPosting(Base):
    """The search index: which titles hold a word, for titles seq >> CHUNK_BITS ==
    chunk, as a serialised roaring bitmap of their seqs (see postings.py)."""

    __tablename__ = "search_postings"

    # Byte order on PostgreSQL as on SQLite: a prefix search is then one range scan.
    term: Mapped[str] = mapped_column(
        Text().with_variant(Text(collation="C"), "postgresql"), primary_key=True
    )
    chunk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    bits: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


class PendingPosting(Base):
    """A change of the search index not yet folded into its bitmaps: the title `seq`
    holds `term` (present) or no longer does. A write adds these rows, which no other
    write shares; a search reads them over the bitmaps (see postings.py)."""

    __tablename__ = "search_pending"

    term: Mapped[str] = mapped_column(
        Text().with_variant(Text(collation="C"), "postgresql"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=False)
    present: Mapped[bool] = mapped_column(Boolean, nullable=False)


class Item(Base):
    """A copy of a title at a branch, known by its barcode."""

    __tablename__ = "items"

    barcode: Mapped[str] = mapped_column(String(32), primary_key=True)
    title_seq: Mapped[int] = mapped_column(ForeignKey("titles.seq"), nullable=False, index=True)
    branch_code: Mapped[str] = mapped_column(ForeignKey("branches.code"), nullable=False)
    location_code: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="available")
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)
    updated_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)

    __table_args__ = (
        ForeignKeyConstraint(
            ["branch_code", "location_code"], ["locations.branch_code", "locations.code"]
        ),
        Index("ix_items_branch_status", "branch_code", "status", "title_seq"),
    )


class Acquisition(Base):
    """A title on order, from an approved collection suggestion."""

    __tablename__ = "acquisitions"

    seq: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    suggestion_id: Mapped[str] = mapped_column(String(50), nullable=False, unique=True)
    title: Mapped[str] = mapped_column(String(500), nullable=False)
    authors: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    isbn: Mapped[str | None] = mapped_column(String(13))
    branch_code: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="on_order")
    title_seq: Mapped[int | None] = mapped_column(ForeignKey("titles.seq"))
    created_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)
    received_at: Mapped[float | None] = mapped_column(Float)  # its title catalogued

    @property
    def id(self) -> str:
        return ACQUISITION_ID.format(self.seq)
