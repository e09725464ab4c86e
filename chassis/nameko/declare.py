"""Declaring, before anything publishes, every exchange and queue the services'
handlers need: an event published before its handler's queue is bound would be
dropped by the broker."""

from __future__ import annotations

from kombu import Connection, Queue
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR

from .deadletters import dead_letter_queue
from .handlers import ReliableEventHandler
from .queues import events_exchange, replays_exchange


def handler_queues(service_cls, config: dict) -> list[Queue]:
    queues = []
    for name in dir(service_cls):
        for ext in getattr(getattr(service_cls, name), ENTRYPOINT_EXTENSIONS_ATTR, ()):
            if isinstance(ext, ReliableEventHandler):
                queues.append(ext.declared_queue(service_cls.name, name, config))
    return queues


def declare_all(config: dict, service_classes) -> list[str]:
    """Declare each service's exchange, dead-letter queue and handler queues."""
    declared = []
    with Connection(config["AMQP_URI"], connect_timeout=5) as conn:
        channel = conn.channel()
        for cls in service_classes:
            events_exchange(cls.name)(channel).declare()
            replays_exchange(cls.name)(channel).declare()
            dead_letter_queue(cls.name)(channel).declare()
            declared.append(f"{cls.name}.events")
            for queue in handler_queues(cls, config):
                queue(channel).declare()
                declared.append(queue.name)
    return declared
