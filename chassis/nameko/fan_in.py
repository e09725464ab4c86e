"""A fan-in queue (`every_event`) that takes only the events its service wants: the
webhook service's, which wants those some endpoint takes.

`pustaka declare` binds a fan-in's queue to every source's events by '*' (every
event type is one word: chassis/contract.py), so that nothing the service may want
is dropped before it first runs. When a process of the service starts, it binds the
queue by the patterns the service wants (`*`, `service.*`, `service.type`: a source
taken whole by '#', a type by its name), then drops the declaration's '*': an event
nobody wants never reaches it. For the webhook service each such event cost the
broker a persistent delivery and the service a worker and an acknowledgement, to
record nothing; on most platforms that is most events, and every one where no
integrator has an endpoint.

A new pattern is bound before what wants it is written (outside its transaction: a
broker call holding SQLite's write lock would hold every other writer of the
process, and they it), never by '*', so a process starting meanwhile cannot drop
it. The webhook service never deletes an endpoint nor changes its patterns (a
disabled one still keeps its events, waiting), so its bindings only grow until the
queue is declared again.
"""

from __future__ import annotations

import logging

from kombu import Connection
from nameko.extensions import DependencyProvider

from chassis.db import DatabaseSession
from chassis.event_catalogue import routes

from .database import Database
from .handlers import EveryEventHandler
from .queues import EVERY_TYPE, events_exchange

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
    """Declare as `bindings = FanInBindings(wanted)` beside the `every_event` handler,
    `wanted(session)` giving the patterns the service wants; `self.bindings(patterns)`
    binds more (outside a transaction)."""

    def __init__(self, wanted):
        self.wanted = wanted

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
            patterns = self.wanted(session)
        wanted = routes(patterns, self.sources)
        rebind(self.amqp_uri, self.queue, wanted, [(s, EVERY_TYPE) for s in self.sources])
        shown = ", ".join(f"{s} {k}" for s, k in wanted) or "nothing"
        log.info("%s takes from the broker: %s", self.queue, shown)

    def get_dependency(self, worker_ctx):
        return lambda patterns: rebind(
            self.amqp_uri, self.queue, routes(patterns, self.sources), []
        )
