"""The names and shapes of the broker's exchanges and handler queues, as nameko
makes them, in one place for the handlers that consume them and for `declare`."""

from __future__ import annotations

from kombu import Exchange, Queue


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
