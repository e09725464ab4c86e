"""One database per service: SQLite file by default, PostgreSQL by URL.

`Database` is the nameko dependency: the engine is built once per container; each
worker gets a `DatabaseSession` whose blocks are short transactions.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from nameko.extensions import DependencyProvider
from sqlalchemy import Table, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from .bulk import insert_missing
from .config import database_url
from .green import patched


def normalise_url(url: str) -> str:
    """A plain postgresql:// URL means psycopg2 here (SQLAlchemy 2.1 would pick psycopg 3)."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg2://" + url[len(plain) :]
    return url


def _green_psycopg2() -> None:
    """Make psycopg2 wait for the server through eventlet's hub, so a query in one
    greenlet lets the others run (psycopg2 does its socket I/O in C, out of reach
    of monkey patching)."""
    import psycopg2
    from eventlet.hubs import trampoline
    from psycopg2 import extensions

    if extensions.get_wait_callback() is not None:
        return

    def wait(conn, timeout=None):
        while True:
            state = conn.poll()
            if state == extensions.POLL_OK:
                return
            if state == extensions.POLL_READ:
                trampoline(conn.fileno(), read=True)
            elif state == extensions.POLL_WRITE:
                trampoline(conn.fileno(), write=True)
            else:
                raise psycopg2.OperationalError(f"unexpected poll state {state}")

    extensions.set_wait_callback(wait)


def make_engine(url: str) -> Engine:
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
        if patched():
            _green_psycopg2()  # else a query blocks only its own thread, as it should
        # Many UPDATEs or DELETEs in one execute go in pages of statements, not one
        # round trip each (INSERTs are already one multi-row statement).
        options = {"executemany_mode": "values_plus_batch", "executemany_batch_page_size": 500}
    return create_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True, **options)


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
    mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
    conn.exec_driver_sql(f"BEGIN {mode}")


def refresh_statistics(engine: Engine, table: str) -> None:
    """After a bulk load: fresh planner statistics (and, on PostgreSQL, the visibility
    map) so the next queries get good plans without waiting for autovacuum."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql(f"VACUUM (ANALYZE) {table}")
        else:
            conn.exec_driver_sql(f"ANALYZE {table}")


def session_factories(engine: Engine) -> tuple[sessionmaker, sessionmaker]:
    """(read-write, read-only) session factories for one engine."""
    reader = engine.execution_options(sqlite_begin="DEFERRED")
    return (
        sessionmaker(bind=engine, expire_on_commit=False),
        sessionmaker(bind=reader, expire_on_commit=False),
    )


def first_application(session: Session, applied: Table, consumer: str, event_id: str) -> bool:
    """Record that `consumer` applies `event_id`; False if it already had. A replica
    applying the same event right now makes this wait for its outcome, then say so."""
    row = {"consumer": consumer, "event_id": event_id, "applied_at": time.time()}
    return bool(insert_missing(session, applied, [row]))


class DatabaseSession:
    """What a worker sees. Each block is one short transaction with its own session,
    closed at the end of the block: never keep a transaction open across network I/O
    (under eventlet a held SQLite lock stalls the whole process)."""

    def __init__(self, factories, metadata, on_commit=lambda: None, consumer: str = ""):
        self._write, self._read = factories
        self.metadata = metadata
        self._on_commit = on_commit
        self.consumer = consumer
        self.engine: Engine | None = None  # set by open_database, which owns one

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A read-write transaction: committed at the end of the block, or rolled back."""
        with self._write() as session, session.begin():
            yield session
        self._on_commit()

    @contextmanager
    def applying(self, event: dict) -> Iterator[Session | None]:
        """A transaction that applies `event` once: yields None if this handler has
        applied it already. The record of it commits with the handler's effect."""
        applied = self.metadata.tables["applied_events"]
        with self.transaction() as session:
            first = first_application(session, applied, self.consumer, event["id"])
            yield session if first else None

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._read() as session:
            yield session
            session.rollback()


def open_database(url: str, metadata) -> DatabaseSession:
    """A DatabaseSession outside nameko (the CLI, the runner, tests), with an engine
    of its own: `db.engine.dispose()` when done."""
    db = DatabaseSession(session_factories(engine := make_engine(url)), metadata)
    db.engine = engine
    return db


class Database(DependencyProvider):
    """Declare as `db = Database(Base)`; the service's name picks its database.

    Other dependencies (the outbox relay) add to `committed_listeners` to hear of
    every commit made through it."""

    def __init__(self, base, service_name: str | None = None):
        self.metadata = base.metadata
        self.service_name = service_name
        self.engine: Engine | None = None
        self.committed_listeners: list = []

    def setup(self) -> None:
        name = self.service_name or self.container.service_name
        self.engine = make_engine(database_url(self.container.config, name))
        self.factories = session_factories(self.engine)

    def stop(self) -> None:
        if self.engine is not None:
            self.engine.dispose()

    def kill(self) -> None:
        self.stop()

    def get_dependency(self, worker_ctx) -> DatabaseSession:
        consumer = f"{worker_ctx.service_name}.{worker_ctx.entrypoint.method_name}"
        return DatabaseSession(self.factories, self.metadata, self.notify_committed, consumer)

    def notify_committed(self) -> None:
        for listener in self.committed_listeners:
            listener()
