"""Declaring, before anything publishes, every exchange and queue the services'
handlers need: an event published before its handler's queue is bound would be
dropped by the broker."""

from __future__ import annotations

from amqp.exceptions import PreconditionFailed
from kombu import Connection, Queue
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR

from .deadletters import dead_letter_queue
from .handlers import ReliableEventHandler
from .queues import events_exchange, handler_queue, replays_exchange


def handler_queues(service_cls, config: dict) -> list[Queue]:
    queues = []
    for name in dir(service_cls):
        for ext in getattr(getattr(service_cls, name), ENTRYPOINT_EXTENSIONS_ATTR, ()):
            if isinstance(ext, ReliableEventHandler):
                queues.append(ext.declared_queue(service_cls.name, name, config))
    return queues


def declare_all(config: dict, service_classes) -> list[str]:
    """Declare each service's exchange, dead-letter queue and handler queues, and
    remove the queues of its retired handlers."""
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
            for source, event_type, method in getattr(cls, "retired_handlers", ()):
                queue = handler_queue(source, event_type, cls.name, method)
                declared.append(retire(conn, queue, source, event_type))
    return declared


def retire(conn: Connection, queue: Queue, source: str, event_type: str) -> str:
    """Delete a retired handler's queue if it is empty (or gone already). One that
    still holds events is only unbound, so that no more come to it: the release that
    had its handler takes them, and the next `pustaka declare` deletes it."""
    try:
        conn.channel().queue_delete(queue.name, if_empty=True)
        return f"retired {queue.name}"
    except PreconditionFailed:  # not empty: the broker closed that channel
        channel = conn.channel()
        channel.queue_unbind(queue.name, events_exchange(source).name, event_type)
        _, waiting, _ = channel.queue_declare(queue.name, passive=True)
        return (
            f"retired {queue.name}, unbound; its {waiting} events wait for the earlier "
            "release's handler: run it until they are taken, then `pustaka declare` again"
        )
