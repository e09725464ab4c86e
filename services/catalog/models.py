"""The catalogue's tables. Only this service reads or writes them."""

from __future__ import annotations

import time

from sqlalchemy import JSON, Float, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.chassis.outbox import Outbox
from services.chassis.tables import Id, reliability_tables


class Base(DeclarativeBase):
    pass


outbox_table, applied_events_table = reliability_tables(Base.metadata)
events = Outbox("catalog", outbox_table)


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
    # Lower-cased title, authors and subjects: what the slice's search matches.
    search_text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_by: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)
    updated_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __table_args__ = (Index("ix_titles_updated", "updated_at", "seq"),)

    @property
    def id(self) -> str:
        return title_id(self.seq)


TITLE_PREFIX = "T"


def title_id(seq: int) -> str:
    """The stable, readable public id: T000042."""
    return f"{TITLE_PREFIX}{seq:06d}"


def title_seq(public_id: str) -> int | None:
    if not public_id.startswith(TITLE_PREFIX) or not public_id[1:].isdigit():
        return None
    return int(public_id[1:])
