"""The pieces contracts build their schemas from (the base of what a part takes in,
the paging of a list's query and of its answer, the strict integer of JSON bodies),
and loading RPC arguments through them, with our typed error on failure."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from functools import cache

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate
from marshmallow.schema import SchemaMeta

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


class Input(Schema):
    """The base of the schemas that load what a part is sent (a body, a query): a
    field they do not know is left out, not refused."""

    class Meta:
        unknown = EXCLUDE


_PAGING = ("limit", "cursor")


class _PagingLast(SchemaMeta):
    """Keeps the paging fields after a query's own: the OpenAPI document lists a
    query's parameters in the order of its fields (inherited ones come first)."""

    @classmethod
    def get_declared_fields(mcs, klass, cls_fields, inherited_fields, dict_cls=dict):
        declared = super().get_declared_fields(klass, cls_fields, inherited_fields, dict_cls)
        paging = {name: declared.pop(name) for name in _PAGING if name in declared}
        return dict_cls({**declared, **paging})


@cache  # one base per part's paging, shared by its lists' queries
def paged_query(*, default: int, ceiling: int) -> type[Input]:
    """The base of a list's query (keyset paging, DESIGN.md): `limit`, from 1 to
    `ceiling`, `default` when not given, and the opaque `cursor` of the page to
    start from (none: the first)."""
    limit = fields.Integer(load_default=default, validate=validate.Range(min=1, max=ceiling))
    cursor = fields.String(load_default=None, allow_none=True)
    return _PagingLast("PagedQuery", (Input,), {"limit": limit, "cursor": cursor})


def page_of(item: type[Schema], name: str | None = None, **more: fields.Field) -> type[Schema]:
    """The schema of one page of a list of `item`: its `items` and the `next_cursor`
    to ask for the next page with (null on the last), and `more` fields beside them.
    Its name, which the OpenAPI document gives its component, is the item's with
    "Page" for "Output" (TitleOutput's is TitlePage) unless `name` says otherwise."""
    attributes = {
        "items": fields.List(fields.Nested(item), required=True),
        "next_cursor": fields.String(allow_none=True, required=True),
        **more,
        "__module__": sys._getframe(1).f_globals["__name__"],  # the contract's, as namedtuple does
    }
    return SchemaMeta(name or item.__name__.removesuffix("Output") + "Page", (Schema,), attributes)


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
