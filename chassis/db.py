"""One database per service: SQLite file by default, PostgreSQL by URL.

A `DatabaseSession` is what a unit of work sees: each block is one short
transaction (`transaction()`), or a read-only one (`reading()`: a write there is an
error, never a silent rollback). The caller travels with it, so every event emitted
in its transactions carries the caller without each call passing it. Free of any
messaging framework: the adapter (chassis/nameko) builds one per worker,
the CLI and tests with `open_database`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Select, Table, bindparam, create_engine, event, select
from sqlalchemy.engine import Connection, Engine, Result
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from .bulk import WROTE, insert_missing, insert_returning, insert_with, note_written
from .errors import DomainError, Unprocessable

log = logging.getLogger(__name__)
# What the session's `info` holds for the outbox: the caller of the unit of work,
# and the ids of the events it stored, which the relay is told of after the commit.
CONTEXT = "context"
EMITTED = "emitted"
# What a transaction stores at its end, on PostgreSQL in one statement: the events it
# emitted (Outbox.emit: (outbox table, rows)) and the answer to its request
# (write_once). Almost every write makes both; apart they cost a round trip more, at
# the end of the transaction, while it holds its row locks (a survey's counts, a
# programme's seats) and other writers of those rows wait.
EVENTS_TO_STORE = "events_to_store"
ANSWER = "answer"
# And the rows a write keeps for its end the same way (insert_at_end).
INSERTS_AT_END = "inserts_at_end"


def store_at_end(session: Session, table: Table, rows: list[dict]) -> None:
    """Keep the outbox rows `rows` to be stored at the end of the session's
    transaction (DatabaseSession.transaction, the only way a write session opens)."""
    _at_end_allowed(session, "events are emitted")
    kept = session.info[EVENTS_TO_STORE]
    if kept is None:
        session.info[EVENTS_TO_STORE] = (table, list(rows))
    else:
        kept[1].extend(rows)


def insert_at_end(session: Session, table: Table, rows: list[dict], tail: str = "") -> None:
    """Insert `rows` into `table` at the end of the session's transaction, with its
    events and answer: on PostgreSQL in the same statement, a round trip less, and
    one less for the other writers waiting on the rows the transaction has locked.
    For rows that only a bug could have refused (their refusal is seen at the end),
    and that no row the ORM writes refers to. A statement the session runs before
    the end (a query that may read them) has them inserted first. `tail`: a
    conflict clause (ON CONFLICT ... DO UPDATE ...), as upserts of counts need."""
    _at_end_allowed(session, "rows are inserted at the end")
    session.info[INSERTS_AT_END].append((table, list(rows), tail))


def _at_end_allowed(session: Session, what: str) -> None:
    if EVENTS_TO_STORE not in session.info:
        raise RuntimeError(f"{what} in a DatabaseSession.transaction()")
    if session.in_nested_transaction():
        # A savepoint rolled back would not take them with it.
        raise RuntimeError(f"{what} outside any savepoint")


class ReadOnlySession(RuntimeError):
    """A write was attempted in a `reading()` block: a bug, never a client's mistake."""


class _ReadingSession(Session):
    def flush(self, objects=None) -> None:
        if self.new or self.dirty or self.deleted:
            raise ReadOnlySession("a reading() session cannot write; use transaction()")
        super().flush(objects)


def _flushed(session: Session, _context) -> None:
    for instance in (*session.new, *session.dirty, *session.deleted):
        note_written(session, instance.__table__.name)


def _executed(state) -> None:
    if state.session.info.get(INSERTS_AT_END):
        _insert_now(state.session)
    if state.is_insert or state.is_update or state.is_delete:
        note_written(state.session, state.statement.table.name)


def _insert_now(session: Session) -> None:
    """The rows kept for the end, inserted before a statement that may read them, as
    the ORM flushes its own before a query: kept for the end, they are never missed."""
    inserts, session.info[INSERTS_AT_END] = session.info[INSERTS_AT_END], []
    session.flush()
    for table, rows, tail in inserts:
        insert_with(session, table, rows, tail)


def normalise_url(url: str) -> str:
    """A plain postgresql:// URL means psycopg2 here (SQLAlchemy 2.1 would pick psycopg 3)."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg2://" + url[len(plain) :]
    return url


def make_engine(url: str, pool_size: int = 10) -> Engine:
    """An engine for `url`; `pool_size`: the server connections each process keeps
    open between transactions (DATABASE_POOL_SIZE; ten more are opened when as many
    transactions run at once, and closed after)."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own BEGIN defers locking until the first write, which lets two
        # writers deadlock; we BEGIN IMMEDIATE for writes so a writer waits up front,
        # and a plain (deferred) BEGIN for reads, which WAL never blocks.
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    options = {}
    if url.startswith("postgresql+psycopg2"):
        # Many UPDATEs or DELETEs in one execute go in pages of statements, not one
        # round trip each (INSERTs are already one multi-row statement).
        options = {"executemany_mode": "values_plus_batch", "executemany_batch_page_size": 500}
    # No ping before each use (a round trip per transaction): a connection found
    # dropped fails its statement, which makes SQLAlchemy drop the pool's older ones
    # too, and a request's unit of work is then made once more (write_once, read).
    engine = create_engine(url, pool_size=pool_size, max_overflow=10, **options)
    event.listen(engine, "before_cursor_execute", _locking_first, retval=True)
    return engine


# A statement's execution option on PostgreSQL: a statement that takes row locks, sent
# in the same round trip before it (`SELECT 1 FROM t WHERE k = %(k)s FOR UPDATE;`, in
# the statement's own parameters). Each statement of a query string has a snapshot
# of its own (READ COMMITTED), taken when it starts: the statement after the locks
# sees what their last holder committed, where one statement that locks a row and
# reads others sees those as they were before it waited.
LOCKING_FIRST = "pustaka_locking_first"


def locked_first(statement: Select, table: Table, param: str) -> Select:
    """`statement`, sent after a statement that locks the row of `table` whose key is
    the parameter `param` (LOCKING_FIRST): on PostgreSQL it reads what that row's
    last holder committed, in the same round trip."""
    (key,) = table.primary_key.columns
    lock = f"SELECT 1 FROM {table.name} WHERE {key.name} = %({param})s FOR UPDATE;"
    return statement.execution_options(**{LOCKING_FIRST: lock})


def _locking_first(_conn, _cursor, statement, parameters, context, _executemany):
    first = context.execution_options.get(LOCKING_FIRST) if context is not None else None
    return (f"{first} {statement}" if first else statement), parameters


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see make_engine)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    # 64 MB of page cache rather than 2 MB: indexes far larger than that (the
    # search index at a million titles) are written at random places.
    cur.execute("PRAGMA cache_size=-65536")
    cur.close()


def _sqlite_begin(conn) -> None:
    reading = conn.get_execution_options().get("pustaka_reading", False)
    # query_only is the connection's state, kept beside it: set when it changes.
    state = conn.connection.info
    if state.get("query_only") is not reading:
        conn.exec_driver_sql(f"PRAGMA query_only={int(reading)}")
        state["query_only"] = reading
    conn.exec_driver_sql("BEGIN DEFERRED" if reading else "BEGIN IMMEDIATE")


def refresh_statistics(engine: Engine, table: str) -> None:
    """After a bulk load: fresh planner statistics (and, on PostgreSQL, the visibility
    map) so the next queries get good plans without waiting for autovacuum."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql(f"VACUUM (ANALYZE) {table}")
        else:
            conn.exec_driver_sql(f"ANALYZE {table}")


def session_factories(engine: Engine) -> tuple[sessionmaker, sessionmaker]:
    """(read-write, read-only) session factories for one engine. The read-only one
    is refused writes by the database itself (SQLite's query_only, PostgreSQL's
    READ ONLY transactions) and by the session before it flushes."""
    options = {"pustaka_reading": True}
    if engine.dialect.name == "postgresql":
        options["postgresql_readonly"] = True  # reset when the connection goes back
    reader = engine.execution_options(**options)
    writer = sessionmaker(bind=engine, expire_on_commit=False)
    event.listen(writer, "after_flush", _flushed)
    event.listen(writer, "do_orm_execute", _executed)
    return (
        writer,
        sessionmaker(bind=reader, expire_on_commit=False, class_=_ReadingSession),
    )


def first_application(session: Session, applied: Table, consumer: str, event_id: str) -> bool:
    """Record that `consumer` applies `event_id`; False if it already had. A replica
    applying the same event right now makes this wait for its outcome, then say so."""
    return bool(first_applications(session, applied, consumer, [event_id]))


def first_applications(session: Session, applied: Table, consumer: str, ids: list[str]) -> set:
    """first_application for many events in one statement: the ids applied now."""
    now = time.time()
    rows = [{"consumer": consumer, "event_id": i, "applied_at": now} for i in ids]
    return {event_id for _, event_id in insert_missing(session, applied, rows)}


# Built once per table: a statement's cache key, which SQLAlchemy computes on every
# execution of a new one, is kept on the statement (every write runs both).
@functools.cache
def _answer_lookup(table: Table):
    return select(table.c.fingerprint, table.c.result).where(
        table.c.request_id == bindparam("request_id"), table.c.method == bindparam("method")
    )


class Repeat:
    """What `apply_once` answers for an event this consumer had applied already."""

    def __repr__(self) -> str:
        return "REPEAT"


REPEAT = Repeat()


class DatabaseSession:
    """What a unit of work sees. Each block is one short transaction with its own
    session, closed at the end of the block: never keep a transaction open across
    network I/O (a held SQLite lock stalls every green thread of the process)."""

    def __init__(
        self,
        factories: tuple[sessionmaker, sessionmaker],
        metadata,
        on_commit: Callable[[frozenset, tuple], None] = lambda wrote, emitted: None,
        consumer: str = "",
        context: dict | None = None,
        request_id: str | None = None,
    ):
        self._write, self._read = factories
        self.metadata = metadata
        self._on_commit = on_commit
        self.consumer = consumer
        self.context = context
        self.request_id = request_id
        self.engine: Engine | None = None  # set by open_database, which owns one

    def acting_as(self, context: dict | None, request_id: str | None = None) -> DatabaseSession:
        """The same database, for a unit of work done on behalf of `context`'s caller
        (what the events it emits carry), answering `request_id`."""
        other = DatabaseSession(
            (self._write, self._read),
            self.metadata,
            self._on_commit,
            self.consumer,
            context,
            request_id,
        )
        other.engine = self.engine
        return other

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A read-write transaction: committed at the end of the block, or rolled back.
        `on_commit` then hears which tables it wrote and the outbox ids it stored."""
        with self._write() as session:
            with session.begin():
                session.info[CONTEXT] = self.context
                session.info[EVENTS_TO_STORE] = None
                session.info[INSERTS_AT_END] = []
                yield session
                self._store_at_end(session)
            wrote = frozenset(session.info.pop(WROTE, ()))
            emitted = tuple(session.info.pop(EMITTED, ()))
        self._on_commit(wrote, emitted)

    def _store_at_end(self, session: Session) -> None:
        """The rows kept for the end (INSERTS_AT_END), its answer, and the events the
        transaction emitted (EVENTS_TO_STORE)."""
        session.flush()  # the rows the ORM holds first: those kept for the end may refer to them
        kept = session.info.pop(EVENTS_TO_STORE, None)
        answer = session.info.pop(ANSWER, None)
        inserts = session.info.pop(INSERTS_AT_END, [])
        if answer:
            inserts.append((self.metadata.tables["answered_requests"], [answer], ""))
        if kept is None and not inserts:
            return
        table, rows = kept or (None, [])  # no events: the inserts alone
        try:
            ids = insert_returning(session, table, rows, "id", also=inserts)
        except session.get_bind().dialect.loaded_dbapi.IntegrityError as exc:
            # As SQLAlchemy raises it: write_once knows a repeated request by it.
            raise IntegrityError("storing the transaction's end", None, exc) from exc
        session.info.setdefault(EMITTED, []).extend(ids)  # for the relay, once committed

    def apply_once(self, event: dict, effect: Callable[..., Any], *args) -> Any:
        """Apply `event` once: `effect(session, *args)` runs in one transaction with
        the record that this consumer applied the event. Delivery is at least once;
        on a repeat, `effect` does not run and this returns REPEAT."""
        applied = self.metadata.tables["applied_events"]
        with self.transaction() as session:
            if first_application(session, applied, self.consumer, event["id"]):
                return effect(session, *args)
        log.info("%s had applied event %s already; skipped", self.consumer, event["id"])
        return REPEAT

    def write_once(self, method: str, arguments: list, effect: Callable[[Session], Any]) -> Any:
        """`effect(session)` in one transaction, done once per request: its answer
        commits with the write, so the same request delivered again (a replica died
        after committing, before acknowledging it) is answered from the record
        instead of done twice. The same request id with other arguments is refused.
        Without a request id (a call from inside the platform), one transaction.

        The record is not looked for first: a request is almost always new, and a
        repeat's effect is undone when its record cannot be written (the key is
        taken), or has refused (it sees its own first effect); either way the
        record then answers. A connection the database dropped (a restart) fails
        the attempt before it commits or while it does, so it is made once more:
        its answer, if it did commit, is found then."""
        return _again_if_dropped(method, lambda: self._write_answered(method, arguments, effect))

    def _write_answered(self, method: str, arguments: list, effect) -> Any:
        if not self.request_id:
            with self.transaction() as session:
                return effect(session)
        fingerprint = hashlib.sha256(
            json.dumps([method, arguments], sort_keys=True, default=str).encode()
        ).hexdigest()
        try:
            with self.transaction() as session:
                result = effect(session)
                session.info[ANSWER] = {  # stored with the events, at the end
                    "request_id": self.request_id,
                    "method": method,
                    "fingerprint": fingerprint,
                    "result": json.dumps(result),
                    "answered_at": time.time(),
                }
                return result
        except (IntegrityError, DomainError):
            # Answered already, or at this moment by another replica (which won)?
            with self.reading() as session:
                answered = self._answered(session, method, fingerprint)
            if answered is None:
                raise
            return answered

    def _answered(self, session: Session, method: str, fingerprint: str):
        lookup = _answer_lookup(self.metadata.tables["answered_requests"])
        row = session.execute(lookup, {"request_id": self.request_id, "method": method}).first()
        if row is None:
            return None
        if row.fingerprint != fingerprint:
            raise Unprocessable(
                "This request id was used for another request.",
                {"request_id": self.request_id.rpartition(":")[2], "method": method},
            )
        log.info("%s answered request %s already; answered again", method, self.request_id)
        return json.loads(row.result)

    def read(self, method: str, work: Callable[[Session], Any]) -> Any:
        """`work(session)` in a read-only transaction, for a request: made once more if
        the database had dropped the connection (see write_once)."""

        def once() -> Any:
            with self.reading() as session:
                return work(session)

        return _again_if_dropped(method, once)

    def read_one(self, method: str, work: Callable[[OneStatement], Any]) -> Any:
        """`work(reader)` for a request whose read is one SELECT (`reader.execute`,
        once): on PostgreSQL sent alone, in no transaction (a statement reads one
        snapshot by itself): one round trip where `read` makes three (its BEGIN and
        ROLLBACK), and no ORM session. On SQLite in a read-only transaction, whose
        BEGIN is no round trip. Made once more if the connection was dropped."""
        postgresql = self._write.kw["bind"].dialect.name == "postgresql"
        # SQLite: the read-only sessions' engine (query_only, BEGIN DEFERRED).
        engine = self._write.kw["bind"] if postgresql else self._read.kw["bind"]

        def once() -> Any:
            with engine.connect() as connection:
                if not postgresql:
                    return work(OneStatement(connection))
                # psycopg2's own switch, set and reset here: SQLAlchemy's isolation
                # level "AUTOCOMMIT" would do the same through its connection
                # characteristics, at 150 µs a read (a title read cost 380 µs, 220 so).
                driver = connection.connection.dbapi_connection
                driver.autocommit = True
                try:
                    return work(OneStatement(connection))
                finally:
                    if not connection.invalidated:
                        driver.autocommit = False  # before the pool lends it again

        return _again_if_dropped(method, once)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only transaction: a write in it raises (ReadOnlySession, or the
        database's own refusal), it is never silently rolled back."""
        with self._read() as session:
            yield session
            session.rollback()


class OneStatement:
    """What a read of one SELECT is given (DatabaseSession.read_one): `execute`, once.
    A second statement is refused: in no transaction, it would read another snapshot."""

    def __init__(self, connection: Connection):
        self._connection = connection
        self._ran = False

    def execute(self, statement: Select, parameters: dict | None = None) -> Result:
        if self._ran or not isinstance(statement, Select):
            raise TypeError("a one-statement read runs one SELECT")
        self._ran = True
        return self._connection.execute(statement, parameters)


def _again_if_dropped(method: str, attempt: Callable[[], Any]) -> Any:
    """`attempt()`, and once more if it failed on a connection the database had
    dropped (SQLAlchemy has then dropped the pool's older connections as well)."""
    try:
        return attempt()
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
    log.warning("%s: the database had dropped its connection; made once more", method)
    return attempt()


def open_database(url: str, metadata) -> DatabaseSession:
    """A DatabaseSession outside a service (the CLI, the runner, tests), with an
    engine of its own: `db.engine.dispose()` when done."""
    db = DatabaseSession(session_factories(engine := make_engine(url)), metadata)
    db.engine = engine
    return db
