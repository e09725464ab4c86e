"""Finding one record by what a caller named it, the same way in every service."""

from __future__ import annotations

from sqlalchemy import Select
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


def not_found(noun: str, named: object, field: str = "id") -> NotFound:
    """What a record named but not found is answered (a query of a service's own may
    find it with others, as get_or_not_found finds one)."""
    return NotFound(f"No {noun} {named!r}.", {field: named})
