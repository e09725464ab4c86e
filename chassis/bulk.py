"""Writing thousands of rows at once, beneath SQLAlchemy's statement building.

SQLAlchemy binds a multi-row statement parameter by parameter in Python, which for
a bulk import costs more than the database's own work. Here rows go to the driver
as tuples: COPY or psycopg2's paged statements on PostgreSQL, `executemany` or one
multi-row statement on SQLite (each a loop in C). Rows get their ids up front
(`reserve_ids`), so an insert needs nothing back.

Every function takes rows as dicts with the same keys, JSON columns as Python values.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from operator import itemgetter

from sqlalchemy import Column, Table, func, select, text
from sqlalchemy.orm import Session

# COPY's text format: these four characters are escaped, None is \N.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
# Bound values per SQLite statement: well inside its limit of 32,766.
_SQLITE_VALUES = 30_000
# Rows per PostgreSQL statement (psycopg2's execute_values pages longer lists).
_PAGE = 5000
# What a session's `info` holds of the tables its transaction wrote: a commit wakes
# only the workers whose work they hold (chassis/db.py, chassis/nameko/background.py).
WROTE = "wrote"


def note_written(session: Session, table: str) -> None:
    """Record that the session's transaction wrote `table`: the writes here say so
    themselves, the ORM's are seen by chassis/db.py's session events."""
    session.info.setdefault(WROTE, set()).add(table)


def reserve_ids(session: Session, column: Column, count: int) -> list[int]:
    """`count` fresh values of an integer primary key, in increasing order."""
    if count <= 0:
        return []
    if _postgresql(session):
        sequence = f"pg_get_serial_sequence('{column.table.name}', '{column.name}')"
        return session.scalars(
            text(f"SELECT nextval({sequence}) FROM generate_series(1, :n)"), {"n": count}
        ).all()
    # SQLite gives a rowid key (no AUTOINCREMENT, as all of ours) max + 1; our write
    # transactions begin IMMEDIATE, so no other writer can take these ids first.
    top = session.scalar(select(func.max(column))) or 0
    return list(range(top + 1, top + 1 + count))


def insert_rows(session: Session, table: Table, rows: list[dict]) -> None:
    """Insert every row."""
    if not rows:
        return
    note_written(session, table.name)
    names, values = _tuples(session, table, rows)
    with _cursor(session) as cursor:
        if not _postgresql(session):
            cursor.executemany(_sqlite_insert(table, names, 1), values)
        elif _waits_through_callback():
            # psycopg2 refuses COPY while a wait callback makes it cooperative (the
            # messaging adapter installs one); a multi-row INSERT waits like any query.
            _execute_values(
                cursor, f"INSERT INTO {table.name} ({', '.join(names)}) VALUES %s", values
            )
        else:
            lines = "".join("\t".join(map(_copy_field, row)) + "\n" for row in values)
            cursor.copy_expert(
                f"COPY {table.name} ({', '.join(names)}) FROM STDIN", io.StringIO(lines)
            )


# One more insert a statement can make: (a table, its rows, a conflict clause or "").
Insert = tuple[Table, list[dict], str]


def insert_returning(
    session: Session, table: Table, rows: list[dict], column: str, also: list[Insert] = ()
) -> list:
    """Insert every row; the values the database gave their `column` (its integer
    key), in no particular order. `also`: more inserts, made first, and on
    PostgreSQL by the same statement (CTEs: a round trip each less)."""
    also = [one for one in also if one[1]]
    if also:
        # A table twice: each insert must see the other's rows (statements do, CTEs not).
        once_each = len({other.name for other, _, _ in also}) == len(also)
        rows_in_all = len(rows) + sum(len(r) for _, r, _ in also)
        if _postgresql(session) and once_each and rows_in_all <= _PAGE:
            return _insert_returning_with(session, table, rows, column, also)
        for other, other_rows, tail in also:
            insert_with(session, other, other_rows, tail)
    if not rows:
        return []
    if _postgresql(session) and not _waits_through_callback():
        # COPY, the quickest way in (an import's thousands of events), returns nothing:
        # the keys are taken first, and the rows go in with them.
        ids = reserve_ids(session, table.c[column], len(rows))
        insert_rows(session, table, [{**row, column: i} for row, i in zip(rows, ids, strict=True)])
        return ids
    note_written(session, table.name)
    return [row[0] for row in _insert_with(session, table, rows, f"RETURNING {column}", True)]


def _insert_returning_with(
    session: Session, table: Table, rows: list[dict], column: str, also: list[Insert]
) -> list:
    """insert_returning with the inserts `also` made by the same statement, as CTEs
    (all within one page: a second page would make them again)."""
    with _cursor(session) as cursor:
        ctes = []
        for i, (other, other_rows, tail) in enumerate(also):
            note_written(session, other.name)
            ctes.append(f"also{i} AS ({_rendered(session, cursor, other, other_rows, tail)})")
        if not rows:  # the inserts alone: a statement's CTEs are made whatever it reads
            cursor.execute(f"WITH {', '.join(ctes)} SELECT 1")
            return []
        note_written(session, table.name)
        names, values = _tuples(session, table, rows)
        statement = (
            f"WITH {', '.join(ctes).replace('%', '%%')}"
            f" INSERT INTO {table.name} ({', '.join(names)}) VALUES %s RETURNING {column}"
        )
        return [r[0] for r in _execute_values(cursor, statement, values, fetch=True)]


def _rendered(session: Session, cursor, table: Table, rows: list[dict], tail: str) -> str:
    """An INSERT of `rows` with their values in it, quoted by the driver."""
    names, values = _tuples(session, table, rows)
    one = f"({', '.join(['%s'] * len(names))})"
    listed = b", ".join(cursor.mogrify(one, row) for row in values).decode()
    return f"INSERT INTO {table.name} ({', '.join(names)}) VALUES {listed} {tail}".rstrip()


def insert_missing(session: Session, table: Table, rows: list[dict]) -> set[tuple]:
    """Insert the rows whose primary key is not taken; the keys of those inserted.
    A row that another transaction is inserting makes this wait for its outcome."""
    if not rows:
        return set()
    note_written(session, table.name)
    keys = ", ".join(c.name for c in table.primary_key)
    tail = f"ON CONFLICT DO NOTHING RETURNING {keys}"
    return set(map(tuple, _insert_with(session, table, rows, tail, returning=True)))


def upsert_rows(
    session: Session, table: Table, rows: list[dict], keep: tuple[str, ...] = ()
) -> None:
    """Insert each row, or, where its primary key is taken, set its other columns
    but those in `keep` (which keep the value the row has). No two rows may have
    the same key."""
    if not rows:
        return
    note_written(session, table.name)
    _insert_with(session, table, rows, upsert_clause(table, list(rows[0]), keep))


def insert_with(session: Session, table: Table, rows: list[dict], tail: str) -> None:
    """Insert every row with `tail`, a conflict clause (ON CONFLICT ... DO UPDATE SET
    count = count + excluded.count: an upsert that adds)."""
    if rows:
        note_written(session, table.name)
        _insert_with(session, table, rows, tail)


def upsert_clause(table: Table, names: list[str], keep: tuple[str, ...] = ()) -> str:
    """upsert_rows' conflict clause, for rows of the columns `names`."""
    keys = [c.name for c in table.primary_key]
    conflict = f"ON CONFLICT ({', '.join(keys)}) DO "
    changed = [n for n in names if n not in keys and n not in keep]
    if not changed:
        return conflict + "NOTHING"
    return conflict + "UPDATE SET " + ", ".join(f"{n} = excluded.{n}" for n in changed)


def _insert_with(
    session: Session, table: Table, rows: list[dict], tail: str, returning: bool = False
) -> list:
    """INSERT the rows with `tail` (a conflict clause; RETURNING one where `returning`),
    on SQLite in pages within its bound on values: the rows returned."""
    names, values = _tuples(session, table, rows)
    with _cursor(session) as cursor:
        if _postgresql(session):
            statement = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES %s {tail}"
            return list(_execute_values(cursor, statement, values, fetch=returning) or [])
        returned = []
        per_statement = _SQLITE_VALUES // len(names)
        for start in range(0, len(values), per_statement):
            page = values[start : start + per_statement]
            flat = [value for row in page for value in row]
            cursor.execute(f"{_sqlite_insert(table, names, len(page))} {tail}", flat)
            if returning:
                returned.extend(cursor.fetchall())
        return returned


def update_rows(session: Session, table: Table, rows: list[dict]) -> None:
    """Set each row's other columns where its primary key matches."""
    if not rows:
        return
    note_written(session, table.name)
    keys = [c.name for c in table.primary_key]
    changed = [name for name in rows[0] if name not in keys]
    names, values = _tuples(
        session, table, [{**{n: r[n] for n in changed}, **{k: r[k] for k in keys}} for r in rows]
    )
    mark = "%s" if _postgresql(session) else "?"
    statement = (
        f"UPDATE {table.name} SET {', '.join(f'{n} = {mark}' for n in changed)} "
        f"WHERE {' AND '.join(f'{k} = {mark}' for k in keys)}"
    )
    with _cursor(session) as cursor:
        if _postgresql(session):
            from psycopg2.extras import execute_batch

            execute_batch(cursor, statement, values, page_size=500)
        else:
            cursor.executemany(statement, values)


def _waits_through_callback() -> bool:
    from psycopg2 import extensions

    return extensions.get_wait_callback() is not None


def _postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _tuples(session: Session, table: Table, rows: list[dict]) -> tuple[list[str], list[tuple]]:
    """(column names, a tuple of values per row), each value as SQLAlchemy would bind
    it: JSON as its text and, on SQLite, dates and times in the ORM's own format (not
    sqlite3's default adapters, which differ from it and are deprecated)."""
    names = list(rows[0])
    get = itemgetter(*names)  # a tuple of the values, but for a single name
    values = [get(row) for row in rows] if len(names) > 1 else [(get(row),) for row in rows]
    converted = _converters(table, tuple(names), session.get_bind().dialect)
    if converted:
        values = [_bound(row, converted) for row in values]
    return names, values


@lru_cache(maxsize=256)
def _converters(table: Table, names: tuple[str, ...], dialect) -> list[tuple[int, Callable]]:
    """(position, bind processor) of each column whose values the driver is not given
    as they are (built once: the outbox and the deliveries write in bulk on every
    request)."""
    binds = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names]
    return [(i, bind) for i, bind in enumerate(binds) if bind is not None]


def _bound(row: tuple, converted: list[tuple[int, Callable]]) -> tuple:
    out = list(row)
    for i, bind in converted:
        out[i] = bind(out[i])
    return tuple(out)


@contextmanager
def _cursor(session: Session) -> Iterator:
    """The driver's cursor on the session's connection, in its transaction."""
    cursor = session.connection().connection.dbapi_connection.cursor()
    try:
        yield cursor
    finally:
        cursor.close()


def _sqlite_insert(table: Table, names: list[str], rows: int) -> str:
    one = f"({', '.join('?' * len(names))})"
    return f"INSERT INTO {table.name} ({', '.join(names)}) VALUES {', '.join([one] * rows)}"


def _execute_values(cursor, statement: str, values: list[tuple], fetch: bool = False):
    from psycopg2.extras import execute_values

    return execute_values(cursor, statement, values, page_size=_PAGE, fetch=fetch)


def _copy_field(value) -> str:
    if value.__class__ is str:
        # Most text has nothing to escape; looking costs far less than translating.
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.translate(_COPY_ESCAPES)
        return value
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, bytes):
        return "\\\\x" + value.hex()
    return str(value)
