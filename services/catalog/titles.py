"""Titles: create, change, withdraw, read and find bibliographic records. Free of
nameko: every function takes a SQLAlchemy session and plain values."""

from __future__ import annotations

import time

from sqlalchemy import bindparam, case, delete, func, select
from sqlalchemy.orm import Session
from stdnum import isbn as isbn_std
from stdnum import issn as issn_std
from stdnum.exceptions import ValidationError as NumberError

from chassis.context import Caller
from chassis.db import insert_at_end
from chassis.errors import Conflict, Forbidden, field_error
from chassis.records import get_or_not_found, not_found
from chassis.schemas import load
from chassis.times import iso_time

from . import acquisitions, postings, search
from .contract import TITLE_ID, TitleInput, TitleQuery
from .models import Item, Title, TitleSubject, outbox
from .text import document, facet_tokens, fold, with_availability_at

title_input = TitleInput()
title_query = TitleQuery()
MODELLED = [name for name in TitleInput().fields]


def normalise_isbn(value: str | None) -> str | None:
    """ISBN-10 or -13 in any punctuation → the 13 digits, or a field error."""
    if not value:
        return None
    try:
        return isbn_std.compact(isbn_std.to_isbn13(isbn_std.validate(value)))
    except NumberError as exc:
        raise field_error("isbn", f"{value!r} is not a valid ISBN ({exc})") from exc


def normalise_issn(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return issn_std.format(issn_std.validate(value))
    except NumberError as exc:
        raise field_error("issn", f"{value!r} is not a valid ISSN ({exc})") from exc


# Statements built once: building one cost as much as running it, on every read of a
# title (its copies per branch) and every change of its copies (where it is available).
AVAILABILITY = (
    select(
        Item.title_seq,
        Item.branch_code,
        func.sum(case((Item.status == "available", 1), else_=0)),
        func.count(),
    )
    .where(Item.title_seq.in_(bindparam("seqs", expanding=True)))
    .group_by(Item.title_seq, Item.branch_code)
    .order_by(Item.title_seq, Item.branch_code)
)
# A title read for a request: its row and its copies per branch in one statement (a
# row per branch; one with no branch for a title with no copies).
TITLE_READ = (
    select(
        Title.__table__,
        Item.branch_code.label("copies_at"),
        func.sum(case((Item.status == "available", 1), else_=0)).label("copies_available"),
        func.count(Item.barcode).label("copies_total"),
    )
    .select_from(Title.__table__.outerjoin(Item.__table__, Item.title_seq == Title.seq))
    .where(Title.seq == bindparam("seq"))
    .group_by(Title.seq, Item.branch_code)
    .order_by(Item.branch_code)
)
AVAILABLE_AT = (
    select(Item.branch_code)
    .where(Item.title_seq == bindparam("seq"), Item.status == "available")
    .distinct()
)


def availability(session: Session, seqs: list[int]) -> dict[int, list[dict]]:
    """Copies per branch, and how many are available, for each title."""
    if not seqs:
        return {}
    rows = session.execute(AVAILABILITY, {"seqs": seqs}).all()
    out: dict[int, list[dict]] = {seq: [] for seq in seqs}
    for seq, branch, available, total in rows:
        out[seq].append({"branch": branch, "available": int(available or 0), "total": total})
    return out


def dump_titles(session: Session, titles: list[Title]) -> list[dict]:
    copies = availability(session, [t.seq for t in titles])
    return [dump_title(t, copies[t.seq]) for t in titles]


def dump_title(title: Title, copies: list[dict]) -> dict:
    """The TitleOutput shape, built directly: this runs for every record served,
    harvested or imported, where a schema's dump would double the cost."""
    data = {name: getattr(title, name) for name in MODELLED}
    data.update(
        id=TITLE_ID.format(title.seq),  # a Title, or its row (get_title)
        availability=copies,
        withdrawn=title.withdrawn_at is not None,
        created_at=iso_time(title.created_at),
        updated_at=iso_time(title.updated_at),
        version=title.version,
    )
    return data


def validate_fields(payload: dict) -> dict:
    """The payload's fields validated and normalised (ISBN-13, formatted ISSN)."""
    data = load(title_input, payload)
    data["isbn"] = normalise_isbn(data.get("isbn"))
    data["issn"] = normalise_issn(data.get("issn"))
    return data


def search_document(data: dict, available_at: list[str]) -> str:
    """What search indexes for a title: its words and roots, then its facet tokens."""
    words = document(
        data.get("title"),
        data.get("subtitle"),
        " ".join(data.get("authors") or []),
        " ".join(data.get("subjects") or []),
        data.get("description"),
        data.get("isbn"),
        data.get("issn"),
    )
    facets = facet_tokens(
        data.get("material_type") or "book",
        data.get("language") or "ind",
        data.get("year"),
        data.get("subjects") or [],
        available_at,
    )
    return f"{words} {' '.join(facets)}"


def folded_subjects(subjects: list[str]) -> list[str]:
    """A title's subjects as the subject filter matches them (title_subjects rows)."""
    return sorted({fold(s)[:200] for s in subjects})


def subject_rows(seq: int, folded: list[str]) -> list[dict]:
    return [{"subject": s, "title_seq": seq} for s in folded]


def _clean(session: Session, payload: dict, current: Title | None = None) -> dict:
    """Validated, normalised fields; a field error or a conflict if they are not fit."""
    data = validate_fields(payload)
    if data["isbn"]:
        existing = session.scalar(select(Title).where(Title.isbn == data["isbn"]))
        if existing is not None and existing is not current:
            raise Conflict(
                f"A title with ISBN {data['isbn']} exists already: {existing.id}.",
                {"existing_id": existing.id, "field": "isbn"},
            )
    if data.get("acquisition_ref"):
        acquisitions.check_ref(session, data["acquisition_ref"])
    return data


def reindex(session: Session, title: Title) -> None:
    """Bring the search document and the index up to date: after a change of fields
    or of copies. A withdrawn title has none, so no search finds it."""
    old, new = title.search_doc or "", ""
    if title.withdrawn_at is None:
        available = session.scalars(AVAILABLE_AT, {"seq": title.seq}).all()
        fields = {name: getattr(title, name) for name in MODELLED}
        new = search_document(fields, list(available))
    title.search_doc = new
    postings.defer_documents(session, [(title.seq, old, new)])


def reindex_copy(session: Session, seq: int, document: str, branch: str, available: bool) -> str:
    """After one of its copies changed: the title's search document with `branch`
    among those where a copy is available, or not (`available`), and the index told
    if that changed; the document."""
    changed = with_availability_at(document, branch, available)
    if changed != document:
        postings.defer_documents(session, [(seq, document, changed)])
    return changed


def _index(session: Session, title: Title) -> None:
    """Keep the search document and the subject list in step with the fields."""
    session.flush()
    reindex(session, title)
    session.flush()
    session.execute(delete(TitleSubject).where(TitleSubject.title_seq == title.seq))
    rows = subject_rows(title.seq, folded_subjects(title.subjects))
    if rows:
        session.execute(TitleSubject.__table__.insert(), rows)


def create_title(session: Session, payload: dict, caller: Caller) -> dict:
    caller.require_role("branch")
    data = _clean(session, payload)
    now = time.time()
    # A new title has no copies and no subject rows yet: its search document is its
    # fields' alone, written with it, and its subjects are only added.
    document = search_document(data, [])
    title = Title(
        **data, search_doc=document, created_by=caller.client_id, created_at=now, updated_at=now
    )
    session.add(title)
    session.flush()
    postings.defer_documents(session, [(title.seq, "", document)])
    rows = subject_rows(title.seq, folded_subjects(title.subjects))
    if rows:
        insert_at_end(session, TitleSubject.__table__, rows)
    if title.acquisition_ref:
        acquisitions.receive(session, title.acquisition_ref, title.seq)
    dumped = dump_title(title, [])
    outbox.emit(session, "title_created", title.id, dumped)
    return dumped


def find_title(session: Session, public_id, for_update: bool = False) -> Title | None:
    """The title with this public id (T000042), or None: also for anything that is
    not a title id in its one spelling."""
    seq = TITLE_ID.parse(public_id)
    return session.get(Title, seq, with_for_update=for_update) if seq is not None else None


def _title(session: Session, public_id: str, for_update: bool = False) -> Title:
    seq = TITLE_ID.parse(public_id)
    return get_or_not_found(
        session, Title, seq, noun="title", named=public_id, for_update=for_update
    )


def update_title(session: Session, public_id: str, payload: dict, caller: Caller) -> dict:
    """Replace a title's fields. A `version` in the payload must be the current one
    (else 409), so two cataloguers cannot silently overwrite each other."""
    caller.require_role("branch")
    title = _title(session, public_id, for_update=True)
    if title.withdrawn_at is not None:
        raise Conflict(f"{public_id} is withdrawn.", {"id": public_id})
    _require_holder(session, title, caller)
    expected = payload.get("version") if isinstance(payload, dict) else None
    if expected is not None and expected != title.version:
        raise Conflict(
            f"{public_id} has changed since version {expected}.",
            {"id": public_id, "current_version": title.version},
        )
    data = _clean(session, payload, current=title)
    if all(getattr(title, k) == v for k, v in data.items()):
        return get_title(session, public_id)  # nothing changed: no new version, no event
    for key, value in data.items():
        setattr(title, key, value)
    title.version += 1
    title.updated_at = time.time()
    _index(session, title)
    dumped = dump_titles(session, [title])[0]
    outbox.emit(session, "title_updated", title.id, dumped)
    return dumped


def _require_holder(session: Session, title: Title, caller: Caller) -> None:
    """A branch rewrites the record of a title it holds a copy of, or of one that no
    branch holds yet (one it has just catalogued); a record that only other branches
    hold is theirs and headquarters' to change (403)."""
    if caller.is_admin:
        return
    holders = set(
        session.scalars(
            select(Item.branch_code)
            .where(Item.title_seq == title.seq, Item.status != "withdrawn")
            .distinct()
        )
    )
    if holders and caller.branch not in holders:
        raise Forbidden(
            f"Only branches holding {title.id} (or headquarters) may change its record.",
            {"id": title.id, "held_at": sorted(holders), "caller_branch": caller.branch},
        )


def withdraw_title(session: Session, public_id: str, caller: Caller) -> dict:
    """Take a title out of the catalogue. It stays as a tombstone (OAI-PMH reports it
    deleted); its copies are withdrawn with it."""
    caller.require_role()
    title = _title(session, public_id, for_update=True)
    if title.withdrawn_at is not None:
        return get_title(session, public_id)
    now = time.time()
    title.withdrawn_at = title.updated_at = now
    title.version += 1
    for item in session.scalars(select(Item).where(Item.title_seq == title.seq)):
        item.status, item.updated_at = "withdrawn", now
    reindex(session, title)
    dumped = dump_titles(session, [title])[0]
    outbox.emit(session, "title_withdrawn", title.id, dumped)
    return dumped


def get_title(session: Session, public_id: str) -> dict:
    seq = TITLE_ID.parse(public_id)
    rows = session.execute(TITLE_READ, {"seq": seq}).all() if seq is not None else []
    if not rows:
        raise not_found("title", public_id)
    copies = [
        {"branch": r.copies_at, "available": int(r.copies_available or 0), "total": r.copies_total}
        for r in rows
        if r.copies_at is not None
    ]
    return dump_title(rows[0], copies)  # the title's columns, as read_or_not_found's row


def search_titles(session: Session, params: dict) -> dict:
    query = load(title_query, params)
    found, cursor, total, facets = search.find(session, query)
    return {
        "items": dump_titles(session, found),
        "next_cursor": cursor,
        "total": total,
        "facets": facets,
    }
