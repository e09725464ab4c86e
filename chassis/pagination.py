"""Keyset pagination (DESIGN.md): a list is read in the order of a key that ends in
a unique column, a page at a time; the opaque cursor of the next page holds the key
of the last row served, and the next page is the rows after it. Unlike an offset,
a row added or removed meanwhile neither repeats a row nor skips one."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_
from sqlalchemy.orm import Session

from .errors import field_error
from .ids import SEQ_MAX


@dataclass(frozen=True)
class Bounds:
    """What one field of a cursor may hold: a number (never a bool) of `types`,
    low <= value <= high. A cursor is a client's to forge; bounds keep what it holds
    to values the query can take (a seq within its column or its index), so a forged
    one is a field error rather than a failure in the database."""

    types: type | tuple[type, ...]
    low: int | float
    high: int | float

    def admit(self, value) -> bool:
        return (
            isinstance(value, self.types)
            and not isinstance(value, bool)
            and self.low <= value <= self.high  # False for NaN
        )


def encode_cursor(key: dict) -> str:
    raw = json.dumps(key, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, **fields: Bounds) -> dict | None:
    """The key a cursor holds, which must have `fields` (name=Bounds), each within
    its bounds; a field error on "cursor" if this API did not give it out."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise field_error("cursor", "Not a cursor this API gave out.") from exc
    if not isinstance(key, dict) or not all(
        bounds.admit(key.get(name)) for name, bounds in fields.items()
    ):
        raise field_error("cursor", "Not a cursor this API gave out.")
    return key


def page(items: list, limit: int, key_of) -> tuple[list, str | None]:
    """Given up to limit+1 rows, return the page and the cursor of the next one."""
    if len(items) > limit:
        items = items[:limit]
        return items, encode_cursor(key_of(items[-1]))
    return items, None


SEQ = Bounds(int, 1, SEQ_MAX)  # a sequence number in a BIGINT column


@dataclass(frozen=True)
class Key:
    """One column of the order a list is paged in, and what the cursor holds of it."""

    column: Any  # a mapped column: Campaign.seq
    bounds: Bounds = SEQ
    name: str | None = None  # its field in the cursor: the column's name by default

    @property
    def field(self) -> str:
        return self.name or self.column.key


class Keyset:
    """The order of a list that is paged: its columns, the last of them unique, all
    ascending or all descending (`Keyset(Ticket.seq, descending=True)`: newest
    first). The order, the cursor and the rows after a cursor are all said here, so
    they cannot disagree."""

    def __init__(self, *keys: Key | Any, descending: bool = False):
        self.keys = tuple(key if isinstance(key, Key) else Key(key) for key in keys)
        self.descending = descending

    def decode(self, cursor: str | None) -> dict | None:
        """The key the cursor holds (None for the first page); a field error on
        "cursor" for one this order did not give out."""
        return decode_cursor(cursor, **{key.field: key.bounds for key in self.keys})

    def after(self, last: dict):
        """The condition of the rows that come after `last` in this order: a row
        comparison (a, b) > (x, y), written out as (a > x) or (a = x and b > y)."""
        beyond = []
        for i, key in enumerate(self.keys):
            equal = [k.column == last[k.field] for k in self.keys[:i]]
            later = (
                key.column < last[key.field] if self.descending else key.column > last[key.field]
            )
            beyond.append(and_(*equal, later))
        return or_(*beyond)

    def cut(self, rows: list, limit: int) -> tuple[list, str | None]:
        """Up to limit+1 records read in this order: the page, and the next one's
        cursor (None when none is left)."""
        return page(
            rows, limit, lambda row: {k.field: getattr(row, k.column.key) for k in self.keys}
        )

    def fetch(
        self, session: Session, stmt, limit: int, cursor: str | None
    ) -> tuple[list, str | None]:
        """A page of what `stmt` selects (unordered: the order is this one) from
        `cursor` on, and the next page's cursor. Each item is what a row of `stmt`
        holds: its one entity, or a tuple of them (select(Occurrence, Programme))."""
        last = self.decode(cursor)
        if last is not None:
            stmt = stmt.where(self.after(last))
        width = len(stmt.column_descriptions)
        columns = [key.column for key in self.keys]
        order = [c.desc() for c in columns] if self.descending else columns
        stmt = stmt.add_columns(*columns).order_by(*order).limit(limit + 1)
        rows, next_cursor = page(
            session.execute(stmt).all(),
            limit,
            lambda row: {k.field: value for k, value in zip(self.keys, row[width:], strict=True)},
        )
        return [row[0] if width == 1 else tuple(row[:width]) for row in rows], next_cursor
