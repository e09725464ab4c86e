"""Loading RPC arguments through marshmallow, with our typed error on failure, and
the strict integer every JSON body's schema uses."""

from __future__ import annotations

import re
from collections.abc import Iterator

from marshmallow import Schema, ValidationError, fields

from .errors import ValidationFailed

# What JSON can carry but no database can store: NUL (PostgreSQL refuses it in text)
# and lone surrogates (not encodable as UTF-8).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class Integer(fields.Integer):
    """An integer in a JSON body: a JSON number, never a string that looks like one
    ("3"), a fraction or a boolean, so a client's mistake of type is named (a 400 on
    the field) rather than guessed at. A query string carries only text: the
    schemas of query parameters keep marshmallow's fields.Integer, which parses it."""

    default_error_messages = {"invalid": "Not an integer: give a JSON number, not a string."}

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)


def unstorable(value, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(path, message) for each string in a JSON value that cannot be stored."""
    if isinstance(value, str):
        if _UNSTORABLE.search(value):
            yield path, "Contains a NUL character or a lone surrogate, which cannot be stored."
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from unstorable(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from unstorable(item, (*path, index))


def _nest(problems) -> dict:
    """marshmallow's shape of field errors: {"subjects": {3: ["..."]}}."""
    out: dict = {}
    for path, message in problems:
        node = out
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = [message]
    return out


def load(schema: Schema, data) -> dict:
    if not isinstance(data, dict):
        raise ValidationFailed(
            "Expected a JSON object.", {"fields": {"_schema": ["Not an object."]}}
        )
    problems = list(unstorable(data))
    if problems:
        raise ValidationFailed("The request has invalid fields.", {"fields": _nest(problems)})
    try:
        return schema.load(data)
    except ValidationError as err:
        raise ValidationFailed("The request has invalid fields.", {"fields": err.messages}) from err
