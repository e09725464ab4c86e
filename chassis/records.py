"""Finding one record by what a caller named it, the same way in every service."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Select, Table, bindparam, select
from sqlalchemy.orm import Session

from .errors import NotFound

# for_update=SHARED: PostgreSQL's FOR SHARE. Others may take the row so too, side by
# side; one who locks it FOR UPDATE waits for them, and they for it.
SHARED = {"read": True}


def lockable(statement: Select, of) -> dict[bool, Select]:
    """{False: `statement`, True: it locking the rows of `of` FOR UPDATE}: a lookup
    built once that a caller runs locked or not (`found = session.execute(
    LOOKUP[for_update], params)`)."""
    return {False: statement, True: statement.with_for_update(of=of)}


def get_or_not_found(
    session: Session,
    model: type,
    key,
    *,
    noun: str,
    named: object,
    field: str = "id",
    for_update: bool | dict = False,
):
    """The row of `model` whose primary key is `key`, else NotFound naming what the
    caller asked for (`named`, in its spelling, under `field` in the details). A key
    of None (what was named cannot be an id of this kind) is not found without a
    query: a service parses the name first (its PublicId, a code's pattern)."""
    row = session.get(model, key, with_for_update=for_update) if key is not None else None
    if row is None:
        raise not_found(noun, named, field)
    return row


def read_or_not_found(
    session: Session, model: type, key, *, noun: str, named: object, field: str = "id"
):
    """get_or_not_found for a read that only dumps the record: its row as the
    database gives it (its columns as attributes), without the ORM's object and
    identity map (which were half of a title read's CPU in its part)."""
    row = None
    if key is not None:
        row = session.execute(_by_key(model.__table__), {"key": key}).first()
    if row is None:
        raise not_found(noun, named, field)
    return row


@cache  # built once per table: the statement's cache key is kept on it
def _by_key(table: Table) -> Select:
    (column,) = table.primary_key.columns
    return select(table).where(column == bindparam("key"))


def not_found(noun: str, named: object, field: str = "id") -> NotFound:
    """What a record named but not found is answered (a query of a service's own may
    find it with others, as get_or_not_found finds one)."""
    return NotFound(f"No {noun} {named!r}.", {field: named})
