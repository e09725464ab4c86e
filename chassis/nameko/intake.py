"""What a part lets in from the broker, and how it answers.

No message, however malformed, stops a service. nameko's own consumer raises into
its loop (and kills the process) on a body it cannot decode, and its RPC consumer
answers a refusal through the request's `reply_to`, so a request without one killed
the process; unacknowledged, the broker then gave it to the next process. Here a
message that cannot be taken is refused once: parked with its reason in the part's
dead letters (deadletters.py), answered with a typed error where its sender may be
answered, and acknowledged.

A request is taken only from a part its contract lets call the method, as the broker
vouches for it: the message's `user_id`, which the broker checks against the
connection's user (trust.py). A request from anyone else is parked unanswered.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from functools import partial

import eventlet
import kombu.serialization
from nameko.exceptions import MalformedRequest, UnserializableValueError, serialize
from nameko.messaging import QueueConsumer
from nameko.rpc import RpcConsumer, get_rpc_exchange

from chassis.errors import Forbidden
from chassis.part import load
from chassis.trust import GATEWAY, callers, user_of

from .deadletters import park
from .rpc_messages import reply_publisher
from .settle import BROKER_ERRORS, ack, requeue

log = logging.getLogger(__name__)

# After the broker comes back, a consumer reconnects within this (kombu's default
# backoff reaches 30 s between attempts).
RECONNECT = {"interval_start": 0.5, "interval_step": 0.5, "interval_max": 2.0}


class PromptReconnect:
    """For a kombu ConsumerMixin: reconnect within RECONNECT's bound, not kombu's."""

    @contextlib.contextmanager
    def establish_connection(self):
        with self.create_connection() as conn:
            conn.ensure_connection(self.on_connection_error, self.connect_max_retries, **RECONNECT)
            yield conn


def refuse(container, queue_consumer, message, queue: str, reason: str) -> None:
    """Park `message` with `reason` and acknowledge it; if it cannot be parked (the
    broker went away), leave it to be delivered again rather than lose it."""
    try:
        park(container.config["AMQP_URI"], container.service_name, message, queue, 0, reason)
    except Exception:
        log.exception("could not park a message refused from %s; requeueing it", queue)
        eventlet.sleep(1)
        requeue(queue_consumer, message)
        return
    log.warning("refused a message from %s: %s", queue, reason)
    ack(queue_consumer, message)


def acks_for(waiting: set[int], in_hand: set[int]) -> tuple[int | None, list[int]]:
    """How to acknowledge the delivery tags `waiting` of one channel, whose deliveries
    not yet settled are `in_hand` (the waiting among them): (the tag one `multiple`
    ack may name, or None; the tags to acknowledge one by one). A multiple ack settles
    every delivery up to its tag, so it never names one above a delivery still in hand
    that is not waiting (a request being answered, an event being applied)."""
    others = in_hand - waiting
    below = min(others) if others else None
    together = [t for t in waiting if below is None or t < below]
    alone = sorted(t for t in waiting if below is not None and t > below)
    return (max(together) if together else None), alone


class SafeQueueConsumer(PromptReconnect, QueueConsumer):
    """nameko's QueueConsumer, with a body it cannot decode (a content type the part
    does not take, or not what it says) refused, not raised into its loop; and its
    acknowledgements sent together: those asked for at one moment (a group of events
    applied, events a handler has nothing to do with) go as one `multiple` ack where
    no other delivery in hand lies below them. An ack frame each was a fifth of
    insight's time and a third of the feedback part's under the title write."""

    def setup(self) -> None:
        super().setup()
        self._in_hand: dict = {}  # channel: the delivery tags not yet settled
        self._waiting: dict = {}  # channel: {tag: message} to acknowledge
        self._flushing = False

    def get_consumers(self, consumer_cls, channel):
        # A new channel (a reconnection): the old one's deliveries come again.
        self._in_hand, self._waiting = {}, {}
        consumers = super().get_consumers(consumer_cls, channel)
        for provider, consumer in self._consumers.items():
            consumer.on_decode_error = partial(self._undecodable, provider)
        return consumers

    def handle_message(self, provider, body, message):
        self._in_hand.setdefault(message.channel, set()).add(message.delivery_tag)
        super().handle_message(provider, body, message)

    def _undecodable(self, provider, message, exc) -> None:
        self._in_hand.setdefault(message.channel, set()).add(message.delivery_tag)
        reason = f"cannot decode a body of {message.content_type!r}: {exc}"
        refuse(self.container, self, message, provider.queue.name, reason)

    def ack_message(self, message) -> None:
        if not message.channel.connection:
            return  # the broker has taken it back already
        self._waiting.setdefault(message.channel, {})[message.delivery_tag] = message
        if not self._flushing:
            self._flushing = True
            self.container.spawn_managed_thread(self._send_acks, identifier="acks")

    def requeue_message(self, message) -> None:
        self._in_hand.get(message.channel, set()).discard(message.delivery_tag)
        super().requeue_message(message)

    def on_iteration(self) -> None:
        self._send_acks()  # before the loop may stop and close the channel
        super().on_iteration()

    def _send_acks(self) -> None:
        self._flushing = False
        waiting, self._waiting = self._waiting, {}
        for channel, messages in waiting.items():
            in_hand = self._in_hand.get(channel, set())
            upto, alone = acks_for(set(messages), in_hand)
            try:
                if channel.connection:
                    if upto is not None:
                        messages[upto].ack(multiple=True)
                    for tag in alone:
                        messages[tag].ack()
            except BROKER_ERRORS as exc:
                log.warning(
                    "could not acknowledge %d messages: %r; the broker delivers them again",
                    len(messages),
                    exc,
                )
            in_hand.difference_update(messages)


class Replier:
    """Sends a part's replies on the RPC exchange, as the part's own broker user:
    transient and unconfirmed (rpc_messages.py says why)."""

    def __init__(self, config: dict, service: str):
        self.exchange = get_rpc_exchange(config)
        self.publisher = reply_publisher(config["AMQP_URI"], user_of(config, service))

    def send(self, message, result, exc_info) -> None:
        error = serialize(exc_info[1]) if exc_info is not None else None
        # Serialised here, once: a large answer (a dashboard over years) costs its
        # encoding only once, and one that cannot be encoded becomes an error reply.
        try:
            content_type, encoding, body = _json({"result": result, "error": error})
        except Exception:
            error = serialize(UnserializableValueError(result))
            content_type, encoding, body = _json({"result": None, "error": error})
        self.publisher.publish(
            body,
            exchange=self.exchange,
            routing_key=message.properties["reply_to"],
            correlation_id=message.properties.get("correlation_id"),
            content_type=content_type,
            content_encoding=encoding,
        )


def _json(payload: dict) -> tuple[str, str, str]:
    return kombu.serialization.dumps(payload, "json")


class GuardedRpcConsumer(RpcConsumer):
    """nameko's RpcConsumer, taking only requests it can answer, from parts that may
    make them (the contract's table), and answering each once."""

    queue_consumer = SafeQueueConsumer()

    def setup(self) -> None:
        super().setup()
        config, service = self.container.config, self.container.service_name
        contract = config.get("SERVICES", {}).get(service)
        self.contract = load(f"{contract}:CONTRACT") if contract else None
        self.replier = Replier(config, service)
        self.gateway = user_of(config, GATEWAY)
        self._allowed: dict[str, set[str]] = {}
        everyone = {c for m in self.contract.methods for c in m.callers} if self.contract else ()
        self.senders = {user_of(config, part) for part in everyone or (GATEWAY,)}

    def may_call(self, method: str) -> set[str]:
        """The broker users that may call `method`."""
        if method not in self._allowed:
            config = self.container.config
            self._allowed[method] = {user_of(config, p) for p in callers(self.contract, method)}
        return self._allowed[method]

    def handle_message(self, body, message):
        sender = message.properties.get("user_id")
        key = message.delivery_info.get("routing_key", "")
        method = key.partition(".")[2]
        queue = self.queue.name
        if sender not in self.senders:
            who = f"user {sender!r}" if sender else "no user"
            reason = f"{key} from {who}: only a part that may call this service is answered"
            return refuse(self.container, self.queue_consumer, message, queue, reason)
        if not isinstance(message.properties.get("reply_to"), str):
            reason = f"{key} from {sender!r} names no reply_to: it could not be answered"
            return refuse(self.container, self.queue_consumer, message, queue, reason)
        try:
            if sender not in self.may_call(method):
                raise Forbidden(f"{sender} may not call {key}.", {"method": key})
            if not (
                isinstance(body, dict)
                and isinstance(body.get("args"), list)
                and isinstance(body.get("kwargs"), dict)
            ):
                raise MalformedRequest("A request's body is {'args': [...], 'kwargs': {...}}.")
            self.get_provider_for_method(key).handle_message(body, message)
        except Exception:
            self.answer_refused(message, sys.exc_info())

    def answer_refused(self, message, exc_info) -> None:
        """Answer a request refused before any worker took it, then park it."""
        with contextlib.suppress(*BROKER_ERRORS):
            self.replier.send(message, None, exc_info)
        reason = f"{type(exc_info[1]).__name__}: {exc_info[1]}"
        refuse(self.container, self.queue_consumer, message, self.queue.name, reason)

    def handle_result(self, message, result, exc_info):
        """Answer a request a worker did, then acknowledge it. A reply that cannot be
        sent (the broker went away) is the caller's deadline; the request is
        acknowledged all the same, since a write's answer is kept and a retry with
        its request id is answered, not done again (DatabaseSession.write_once)."""
        try:
            self.replier.send(message, result, exc_info)
        except Exception:
            log.warning(
                "could not reply to %s", message.delivery_info.get("routing_key"), exc_info=True
            )
        ack(self.queue_consumer, message)
        return result, exc_info
