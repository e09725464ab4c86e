"""The fan-in queue takes only the events some endpoint takes.

`pustaka declare` binds the fan-in's queue to every service's events by '*' (every
event type is one word: chassis/contract.py), so that nothing an endpoint may want
is dropped before the service first runs. When a webhooks process starts, it binds
the queue to the endpoints' patterns (a service taken whole by '#', a type by its
name), then drops the declaration's '*': an event no endpoint takes then never
reaches the service. Each such event cost the broker a persistent delivery and the
service a worker and an acknowledgement, to record nothing; on most platforms
that is most events, and every one where no integrator has an endpoint.

An endpoint's patterns are bound before it is written (outside the transaction: a
broker call holding SQLite's write lock would hold every other writer of the
process, and they it), never by '*', so a process starting meanwhile cannot drop
them. Endpoints are never deleted and their patterns
never change (a disabled one still keeps its events, waiting), so the bindings only
grow until the queue is declared again.
"""

from __future__ import annotations

import logging

from kombu import Connection
from nameko.extensions import DependencyProvider
from sqlalchemy import select

from chassis.db import DatabaseSession
from chassis.event_catalogue import routes
from chassis.nameko.database import Database
from chassis.nameko.handlers import EveryEventHandler
from chassis.nameko.queues import EVERY_TYPE, events_exchange

from .models import Endpoint

log = logging.getLogger(__name__)


def rebind(amqp_uri: str, queue: str, bind: list, unbind: list) -> None:
    """Bind `queue` by each (service, routing key) of `bind`, then unbind those of
    `unbind`."""
    with Connection(amqp_uri, connect_timeout=5) as conn:
        channel = conn.channel()
        for service, key in bind:
            channel.queue_bind(queue, events_exchange(service).name, key)
        for service, key in unbind:
            channel.queue_unbind(queue, events_exchange(service).name, key)


class FanInBindings(DependencyProvider):
    """Declare as `bindings = FanInBindings()` beside the `every_event` handler;
    `self.bindings(patterns)` binds them (outside a transaction)."""

    def setup(self) -> None:
        (self.database,) = [d for d in self.container.dependencies if isinstance(d, Database)]
        (handler,) = [e for e in self.container.entrypoints if isinstance(e, EveryEventHandler)]
        config = self.container.config
        self.sources = handler.sources(config)
        self.queue = handler.declared_queue(
            self.container.service_name, handler.method_name, config
        ).name
        self.amqp_uri = config["AMQP_URI"]

    def start(self) -> None:
        db = DatabaseSession(self.database.factories, self.database.metadata)
        with db.reading() as session:
            patterns = [p for types in session.scalars(select(Endpoint.event_types)) for p in types]
        wanted = routes(patterns, self.sources)
        rebind(self.amqp_uri, self.queue, wanted, [(s, EVERY_TYPE) for s in self.sources])
        shown = ", ".join(f"{s} {k}" for s, k in wanted) or "nothing"
        log.info("%s takes from the broker: %s", self.queue, shown)

    def get_dependency(self, worker_ctx):
        return lambda patterns: rebind(
            self.amqp_uri, self.queue, routes(patterns, self.sources), []
        )
