"""The dead-letter queue of each service: where a handler's message is parked, intact,
when it keeps failing; an operator lists the parked messages and replays them."""

from __future__ import annotations

import time
from dataclasses import dataclass

from kombu import Connection, Queue
from kombu.pools import producers

from .queues import dead_letters_exchange, replays_exchange


def dead_letter_queue(service: str) -> Queue:
    name = f"{service}.dead-letters"
    return Queue(
        name, dead_letters_exchange(service), routing_key=name, durable=True, auto_delete=False
    )


@dataclass
class Parked:
    original_queue: str
    routing_key: str
    attempts: int
    error: str
    parked_at: float
    body: bytes
    content_type: str
    message_id: str | None

    @classmethod
    def from_message(cls, message) -> Parked:
        headers = message.headers or {}
        # Or dead-lettered by the broker, past its queue's bound (pustaka/broker_policies.py).
        death = (headers.get("x-death") or [{}])[0]
        when = death.get("time")
        return cls(
            original_queue=headers.get("x-original-queue") or death.get("queue", ""),
            routing_key=headers.get("x-original-routing-key")
            or (death.get("routing-keys") or [""])[0],
            attempts=int(headers.get("x-attempts", 0)),
            error=headers.get("x-error") or (f"the queue's {death['reason']}" if death else ""),
            parked_at=float(headers.get("x-parked-at") or (when.timestamp() if when else 0)),
            body=message.body,
            content_type=message.content_type,
            message_id=message.properties.get("message_id"),
        )


def park(amqp_uri: str, service: str, message, original_queue: str, attempts: int, error: str):
    """Copy `message` to the service's dead-letter queue, confirmed by the broker."""
    headers = dict(message.headers or {})
    headers.update(
        {
            "x-original-queue": original_queue,
            "x-original-exchange": message.delivery_info.get("exchange", ""),
            "x-original-routing-key": message.delivery_info.get("routing_key", ""),
            "x-attempts": attempts,
            "x-error": error[:2000],
            "x-parked-at": time.time(),
        }
    )
    queue = dead_letter_queue(service)
    # A pooled connection: a flood of refused messages must not cost a connection each.
    connection = Connection(amqp_uri, transport_options={"confirm_publish": True})
    with producers[connection].acquire(block=True, timeout=10) as producer:
        producer.publish(
            message.body,
            routing_key=queue.routing_key,
            exchange=queue.exchange,
            declare=[queue],
            headers=headers,
            # As it came, bytes for bytes, even when it named no type.
            content_type=message.content_type or "application/octet-stream",
            content_encoding=message.content_encoding or "binary",
            delivery_mode=2,
            message_id=message.properties.get("message_id"),
            type=message.properties.get("type"),
            retry=True,  # the pooled connection may be one the broker dropped
            retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5},
        )


def _drain(conn: Connection, service: str):
    channel = conn.channel()
    queue = dead_letter_queue(service)(channel)
    queue.declare()
    while (message := queue.get(no_ack=False)) is not None:
        yield channel, message


def list_parked(amqp_uri: str, service: str) -> list[Parked]:
    """Every parked message, left in place (unacked reads are returned on close)."""
    with Connection(amqp_uri) as conn:
        return [Parked.from_message(message) for _, message in _drain(conn, service)]


def replay(amqp_uri: str, service: str, message_id: str | None = None) -> int:
    """Send parked messages (all, or the one with `message_id`) back to the queue of
    the handler that failed, and only to it: through the service's replays exchange
    (queues.py), which its handlers take events from. Returns how many were replayed.
    A refused request stays parked: its caller stopped waiting long ago."""
    replayed = 0
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as conn:
        replays = replays_exchange(service)(conn.channel())
        replays.declare()
        producer = conn.Producer(exchange=replays)
        for _, message in _drain(conn, service):
            parked = Parked.from_message(message)
            request = parked.original_queue.startswith("rpc-")
            if request or (message_id and parked.message_id != message_id):
                continue
            headers = {k: v for k, v in (message.headers or {}).items() if not k.startswith("x-")}
            producer.publish(
                message.body,
                routing_key=parked.original_queue,
                headers=headers,
                content_type=message.content_type,
                content_encoding=message.content_encoding,
                delivery_mode=2,
                message_id=parked.message_id,
                type=message.properties.get("type"),
            )
            message.ack()
            replayed += 1
    return replayed
