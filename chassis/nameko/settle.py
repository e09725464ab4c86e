"""Settling a delivered message (ack, requeue) when the broker may have gone away.

nameko acknowledges in the worker's thread, and a worker thread that raises kills the
whole container: a broker lost between delivery and acknowledgement would take the
process down (seen: the gateway, under load, when its broker connection was cut).
A message that cannot be settled needs nothing more: the broker delivers it again
once it is back (every handler applies an event once, a request is answered once).
"""

from __future__ import annotations

import logging

import amqp
from kombu.exceptions import OperationalError

log = logging.getLogger(__name__)

# What kombu and amqp raise when the broker cannot be reached, or was lost during an
# operation: kombu's OperationalError (after its retries) and the transport's own
# connection errors (socket errors among them, as OSError).
BROKER_ERRORS = (
    OperationalError,
    *amqp.Connection.connection_errors,
    *amqp.Connection.recoverable_connection_errors,
)


def ack(queue_consumer, message) -> None:
    _settle(queue_consumer.ack_message, message, "acknowledge")


def requeue(queue_consumer, message) -> None:
    _settle(queue_consumer.requeue_message, message, "requeue")


def _settle(settle, message, what: str) -> None:
    try:
        settle(message)
    except BROKER_ERRORS as exc:
        key = message.delivery_info.get("routing_key")
        log.warning("could not %s a message (%s): %r; the broker delivers it again", what, key, exc)
