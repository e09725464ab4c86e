"""Keyset pagination: an opaque cursor holds the sort key of the last row served."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from .errors import field_error


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
