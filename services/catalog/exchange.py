"""MARC in and out of the catalogue: import files (binary MARC21 or MARCXML), export
a title or every match of a search as MARCXML."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from chassis.context import Caller
from chassis.errors import ValidationFailed, field_error
from chassis.schemas import load

from . import marc, postings, search
from .importer import ImportReport, import_records
from .items import with_held_copies
from .titles import dump_titles, get_title, title_query

EXPORT_MAX = 10_000


def marc_records(data: bytes):
    """(position, payload, problem, record key) for each record of a MARC file."""
    for position, title, problem in marc.read_titles(data):
        if title is None:
            yield position, None, problem, None
        else:
            yield position, title, None, title.pop("record_key")


def import_marc(transaction: Callable, data: bytes, caller: Caller, progress=None) -> ImportReport:
    if not data.strip():
        raise field_error("file", "The file is empty.")
    return import_records(transaction, marc_records(data), caller, progress)


def export_title(session: Session, public_id: str) -> str:
    return marc.titles_to_marcxml(
        with_held_copies(session, [get_title(session, public_id)])
    ).decode()


def export_search(session: Session, params: dict) -> str:
    """Every match of a search (not one page) as one MARCXML collection; more than
    EXPORT_MAX matches is refused rather than cut short."""
    matches = search.matching(session, load(title_query, params))
    total = len(matches)
    if total > EXPORT_MAX:
        raise ValidationFailed(
            f"The search matches {total} titles; export at most {EXPORT_MAX} at once.",
            {"total": total, "limit": EXPORT_MAX},
        )
    found = search.load_titles(session, postings.newest(matches, None, total))
    return marc.titles_to_marcxml(with_held_copies(session, dump_titles(session, found))).decode()
