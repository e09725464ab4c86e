"""Declaring, before anything publishes, every exchange and queue the services'
handlers need: an event published before its handler's queue is bound would be
dropped by the broker."""

from __future__ import annotations

from kombu import Connection, Exchange, Queue
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR

from .deadletters import dead_letter_queue
from .handlers import ReliableEventHandler

# An integrator's broker user is `integrator.<its name>` and names its queues
# `integrator.<its name>.<any>` (it may touch no other): pustaka/integrators.py makes
# the users, the event catalogue says so.
INTEGRATOR = "integrator."


def integrator_queues(name: str) -> str:
    return f"{INTEGRATOR}{name}."


def events_exchange(service: str) -> Exchange:
    # As nameko's own get_event_exchange declares it, so the two never disagree.
    return Exchange(f"{service}.events", type="topic", durable=True, delivery_mode=2)


def handler_queue(source: str, event_type: str, service: str, method: str) -> Queue:
    """The queue of a service-pool handler, named as nameko names it."""
    return Queue(
        f"evt-{source}-{event_type}--{service}.{method}",
        exchange=events_exchange(source),
        routing_key=event_type,
        durable=True,
        auto_delete=False,
        exclusive=False,
    )


def handler_queues(service_cls) -> list[Queue]:
    queues = []
    for name in dir(service_cls):
        for ext in getattr(getattr(service_cls, name), ENTRYPOINT_EXTENSIONS_ATTR, ()):
            if isinstance(ext, ReliableEventHandler):
                queues.append(
                    handler_queue(ext.source_service, ext.event_type, service_cls.name, name)
                )
    return queues


def declare_all(amqp_uri: str, service_classes) -> list[str]:
    """Declare each service's exchange, dead-letter queue and handler queues."""
    declared = []
    with Connection(amqp_uri, connect_timeout=5) as conn:
        channel = conn.channel()
        for cls in service_classes:
            events_exchange(cls.name)(channel).declare()
            dead_letter_queue(cls.name)(channel).declare()
            declared.append(f"{cls.name}.events")
            for queue in handler_queues(cls):
                queue(channel).declare()
                declared.append(queue.name)
    return declared
