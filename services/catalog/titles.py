"""Titles: create, read and find bibliographic records. Free of nameko: every
function takes a SQLAlchemy session and plain values."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from stdnum import isbn as isbn_std
from stdnum import issn as issn_std
from stdnum.exceptions import ValidationError as NumberError

from services.chassis.context import Caller
from services.chassis.errors import Conflict, NotFound, ValidationFailed
from services.chassis.pagination import decode_cursor, page
from services.chassis.schemas import load

from .models import Title, events, title_seq
from .schemas import TitleInput, TitleOutput, TitleQuery

title_input = TitleInput()
title_output = TitleOutput()
title_query = TitleQuery()


def _field_error(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{field}: {message}", {"fields": {field: [message]}})


def normalise_isbn(value: str | None) -> str | None:
    """ISBN-10 or -13 in any punctuation → the 13 digits, or a field error."""
    if not value:
        return None
    try:
        return isbn_std.compact(isbn_std.to_isbn13(isbn_std.validate(value)))
    except NumberError as exc:
        raise _field_error("isbn", f"{value!r} is not a valid ISBN ({exc}).") from exc


def normalise_issn(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return issn_std.format(issn_std.validate(value))
    except NumberError as exc:
        raise _field_error("issn", f"{value!r} is not a valid ISSN ({exc}).") from exc


def _search_text(data: dict) -> str:
    parts = [data.get("title"), data.get("subtitle"), *data["authors"], *data["subjects"]]
    return " ".join(p for p in parts if p).casefold()


def _iso(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def dump_title(title: Title) -> dict:
    data = {c: getattr(title, c) for c in title_output.fields if hasattr(title, c)}
    data["created_at"] = _iso(title.created_at)
    data["updated_at"] = _iso(title.updated_at)
    return title_output.dump(data)


def create_title(session: Session, payload: dict, caller: Caller) -> dict:
    caller.require_role("branch")
    data = load(title_input, payload)
    data["isbn"] = normalise_isbn(data.get("isbn"))
    data["issn"] = normalise_issn(data.get("issn"))
    if data["isbn"]:
        existing = session.scalar(select(Title).where(Title.isbn == data["isbn"]))
        if existing is not None:
            raise Conflict(
                f"A title with ISBN {data['isbn']} exists already: {existing.id}.",
                {"existing_id": existing.id, "field": "isbn"},
            )
    now = time.time()
    title = Title(
        **data,
        search_text=_search_text(data),
        created_by=caller.client_id,
        created_at=now,
        updated_at=now,
    )
    session.add(title)
    session.flush()
    dumped = dump_title(title)
    events.emit(session, "title_created", title.id, dumped, context=caller.as_context())
    return dumped


def get_title(session: Session, public_id: str) -> dict:
    seq = title_seq(public_id) if isinstance(public_id, str) else None
    title = session.get(Title, seq) if seq is not None else None
    if title is None:
        raise NotFound(f"No title {public_id!r}.", {"id": public_id})
    return dump_title(title)


def search_titles(session: Session, params: dict) -> dict:
    """Titles whose title, authors or subjects contain every word of `q`, oldest
    first, a page at a time; `total` counts every match."""
    query = load(title_query, params)
    after = decode_cursor(query["cursor"])
    where = [
        Title.search_text.contains(word, autoescape=True) for word in query["q"].casefold().split()
    ]
    total = session.scalar(select(func.count()).select_from(Title).where(*where))
    if after is not None:
        if not isinstance(after.get("seq"), int):
            raise _field_error("cursor", "Invalid cursor.")
        where.append(Title.seq > after["seq"])
    rows = session.scalars(
        select(Title).where(*where).order_by(Title.seq).limit(query["limit"] + 1)
    ).all()
    items, next_cursor = page(list(rows), query["limit"], lambda t: {"seq": t.seq})
    return {"items": [dump_title(t) for t in items], "next_cursor": next_cursor, "total": total}
