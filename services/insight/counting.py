"""Adding to a counter row safely under concurrency: the row is made if missing
(another transaction making it at once is waited for), then its count raised in the
database (count = count + n), so two writers never lose each other's addition."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from chassis.bulk import insert_missing


def add(session: Session, model, key: dict, column: str, delta: int) -> None:
    table = model.__table__
    insert_missing(session, table, [{**key, column: 0}])
    column_ = table.c[column]
    session.execute(
        update(table)
        .where(*(table.c[name] == value for name, value in key.items()))
        .values({column: column_ + delta})
    )
