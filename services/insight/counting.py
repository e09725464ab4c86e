"""Adding to a counter row safely under concurrency, in one statement: the
database's own upsert (INSERT ... ON CONFLICT DO UPDATE SET count = count + n).

A read, then an insert or an update, races on PostgreSQL: two replicas (or two
handlers) counting into the same branch-month row at once would both find it
missing, and one insert would fail, or both read the old count and one addition be
lost. The upsert makes the row or waits for the transaction making it, then adds to
the row as committed (SQLite serialises writers anyway; it takes the same words)."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def add(session: Session, model, key: dict, column: str, delta: int) -> None:
    add_many(session, model, [{**key, column: delta}], column)


def add_many(session: Session, model, rows: list[dict], column: str) -> None:
    """`add` to many counters in one statement: rows of distinct keys, each with what
    it adds in `column`."""
    if not rows:
        return
    key = tuple(name for name in rows[0] if name != column)
    adding = _adding(session.get_bind().dialect.name, model.__table__, key, column)
    session.execute(adding, rows)


@cache  # built once per counter (SQLAlchemy would compile a new statement each time)
def _adding(dialect: str, table: Table, key: tuple[str, ...], column: str):
    insert = INSERTS[dialect](table)
    return insert.on_conflict_do_update(
        index_elements=list(key), set_={column: table.c[column] + insert.excluded[column]}
    )
