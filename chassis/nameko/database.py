"""`Database`: a service's own database as a nameko dependency."""

from __future__ import annotations

from nameko.extensions import DependencyProvider
from sqlalchemy.engine import Engine

from chassis.config import database_url, pool_size
from chassis.context import KEY as CALLER_KEY
from chassis.context import REQUEST_ID_KEY
from chassis.db import DatabaseSession, make_engine, session_factories


class Database(DependencyProvider):
    """Declare as `db = Database(Base)`; the service's name picks its database. The
    engine is built once per container; each worker gets a DatabaseSession acting
    for the worker's caller, so the events its transactions emit carry that caller.

    Other dependencies (the outbox relay) add to `committed_listeners` to hear of
    every commit made through it, which tables it wrote and which events it stored."""

    def __init__(self, base, service_name: str | None = None):
        self.metadata = base.metadata
        self.service_name = service_name
        self.engine: Engine | None = None
        self.committed_listeners: list = []

    def setup(self) -> None:
        name = self.service_name or self.container.service_name
        config = self.container.config
        self.engine = make_engine(database_url(config, name), pool_size(config))
        self.factories = session_factories(self.engine)

    def stop(self) -> None:
        if self.engine is not None:
            self.engine.dispose()

    def kill(self) -> None:
        self.stop()

    def get_dependency(self, worker_ctx) -> DatabaseSession:
        consumer = f"{worker_ctx.service_name}.{worker_ctx.entrypoint.method_name}"
        data = worker_ctx.context_data
        return DatabaseSession(
            self.factories,
            self.metadata,
            self.notify_committed,
            consumer,
            data.get(CALLER_KEY),
            data.get(REQUEST_ID_KEY),
        )

    def notify_committed(self, wrote: frozenset | None = None, emitted: tuple = ()) -> None:
        """A commit wrote the tables `wrote` (None: unknown, as good as all) and the
        outbox rows `emitted` (their ids)."""
        for listener in self.committed_listeners:
            listener(wrote, emitted)
