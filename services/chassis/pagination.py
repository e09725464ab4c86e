"""Keyset pagination: an opaque cursor holds the sort key of the last row served."""

from __future__ import annotations

import base64
import binascii
import json

from .errors import field_error


def encode_cursor(key: dict) -> str:
    raw = json.dumps(key, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, **fields: type | tuple[type, ...]) -> dict | None:
    """The key a cursor holds, which must have `fields` (name=type), each a positive
    number (seqs and times); a field error on "cursor" if this API did not give it out."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise field_error("cursor", "Not a cursor this API gave out.") from exc
    if not isinstance(key, dict) or not all(
        isinstance(key.get(name), kind) and not isinstance(key[name], bool) and key[name] > 0
        for name, kind in fields.items()
    ):
        raise field_error("cursor", "Not a cursor this API gave out.")
    return key


def page(items: list, limit: int, key_of) -> tuple[list, str | None]:
    """Given up to limit+1 rows, return the page and the cursor of the next one."""
    if len(items) > limit:
        items = items[:limit]
        return items, encode_cursor(key_of(items[-1]))
    return items, None
