"""Reliable event handling.

`event_handler(consumes)` (a Consumes of the service's contract) is nameko's
service-pool event handler with these changes:
- it takes an event only from its owner's exchange (or its own service's replays:
  queues.py); one sent any other way is parked at once, with the way it came;
- the body must be a complete envelope of a major version the handler reads, whose
  data its schema can read (else it is parked at once, with the reason: retrying
  could not help); the handler gets the data as that schema loaded it;
- `into=`, if given, names the service's GroupedApply, to which each event is
  handed as it comes, with no worker: nameko's worker (its context, every
  dependency injected, a green thread) cost more than applying a row or two;
- a handler that raises is retried in-process with exponential backoff, the message
  unacked meanwhile (a crash redelivers it), up to HANDLER_MAX_ATTEMPTS attempts;
- then the message is parked, intact, in the service's dead-letter queue before it
  is acked. nameko's own handler would ack and drop it.
Idempotency is the handler's transaction: `self.db.apply_once(event, effect, ...)`.

`every_event(sources)` is the same handler for every event of several services at
once (the webhook service's fan-in): one durable queue bound with '#' to the
exchange of each service the configuration names under `sources` when it is
declared (its consumer binds it to none: its service narrows it); it reads any
complete envelope, of any version, its data as it came.
"""

from __future__ import annotations

import logging
import traceback
from functools import partial

import eventlet
from kombu import Queue
from nameko.events import EventHandler
from nameko.exceptions import ContainerBeingKilled
from nameko.messaging import Consumer

from chassis.contract import Consumes, ValidationError, read_event_data
from chassis.envelope import BadEnvelope, check_envelope, major_version

from .deadletters import park
from .intake import SafeQueueConsumer
from .queues import (
    came_through,
    events_exchange,
    every_event_queue,
    handler_queue,
    replays_exchange,
)
from .settle import ack, requeue

log = logging.getLogger(__name__)


class ReliableEventHandler(EventHandler):
    queue_consumer = SafeQueueConsumer()  # a body it cannot decode is parked, not fatal

    def __init__(self, consumes: Consumes, into: str | None = None, **kwargs):
        self.consumes = consumes
        # `into`: the service's GroupedApply (its attribute's name) that applies the
        # events, handed to it here with no worker (the method is never called).
        self.into = into
        super().__init__(consumes.source, consumes.type, **kwargs)

    def declared_queue(self, service: str, method: str, config: dict) -> Queue:
        """Its queue, as `pustaka declare` declares it before anything publishes."""
        return handler_queue(self.source_service, self.event_type, service, method)

    def consumed_queue(self, service: str, method: str, config: dict) -> Queue:
        """The queue as its consumer declares it (if need be) when it starts."""
        return self.declared_queue(service, method, config)

    def sources(self, config: dict) -> list[str]:
        """The services whose events it takes (through their own exchanges only)."""
        return [self.source_service]

    def setup(self) -> None:
        config, service = self.container.config, self.container.service_name
        self.queue = self.consumed_queue(service, self.method_name, config)
        self.ways_in = {events_exchange(s).name for s in self.sources(config)}
        self.ways_in.add(replays_exchange(service).name)
        self.group = None
        if self.into:
            (self.group,) = [d for d in self.container.dependencies if d.attr_name == self.into]
        Consumer.setup(self)

    def handle_message(self, body, message):
        if (way := came_through(message)) not in self.ways_in:
            owners = ", ".join(sorted(self.ways_in))
            way = repr(way) if way else "the default exchange"
            self._park(message, 0, f"came through {way}, not {owners}")
            return
        try:
            event = self._readable(body)
        except (BadEnvelope, ValidationError) as exc:
            self._park(message, 0, f"{type(exc).__name__}: {exc}")
            return
        self._spawn(event, message, attempt=1)

    def _readable(self, body) -> dict:
        """The envelope, its data as this handler's schema reads it."""
        envelope = check_envelope(body)
        version = major_version(envelope)
        if version not in self.consumes.versions:
            readable = ", ".join(f"v{v}" for v in self.consumes.versions)
            raise BadEnvelope(f"{envelope['dataschema']}: this handler reads {readable} only")
        return {**envelope, "data": read_event_data(self.consumes, envelope["data"])}

    def _spawn(self, body, message, attempt: int) -> None:
        if self.group is not None:
            consumer = f"{self.container.service_name}.{self.method_name}"
            settled = partial(self._applied, body, message, attempt)
            self.group.hand_over(consumer, body, settled)
            return
        context_data = self.unpack_message_headers(message)
        try:
            self.container.spawn_worker(
                self,
                (body,),
                {},
                context_data=context_data,
                handle_result=partial(self._handled, body, message, attempt),
            )
        except ContainerBeingKilled:
            requeue(self.queue_consumer, message)

    def _handled(self, body, message, attempt, worker_ctx, result=None, exc_info=None):
        self._applied(body, message, attempt, None if exc_info is None else exc_info[1])
        return result, exc_info

    def _applied(self, body, message, attempt: int, exc: BaseException | None) -> None:
        """The event applied (acknowledged), or failed: tried again after a backoff, up
        to HANDLER_MAX_ATTEMPTS, then parked."""
        if exc is None:
            ack(self.queue_consumer, message)
            return
        config = self.container.config
        max_attempts = int(config["HANDLER_MAX_ATTEMPTS"])
        if attempt < max_attempts:
            delay = float(config["HANDLER_RETRY_BASE_SECONDS"]) * 2 ** (attempt - 1)
            log.warning(
                "%s failed on %s (attempt %d of %d); retrying in %.2fs",
                self.method_name,
                body.get("id"),
                attempt,
                max_attempts,
                delay,
            )
            eventlet.spawn_after(delay, self._spawn, body, message, attempt + 1)
        else:
            error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            self._park(message, attempt, error)

    def _park(self, message, attempts: int, error: str) -> None:
        try:
            park(
                self.container.config["AMQP_URI"],
                self.container.service_name,
                message,
                original_queue=self.queue.name,
                attempts=attempts,
                error=error,
            )
        except Exception:
            # Not parked: leave it to the broker to deliver again rather than lose it.
            log.exception("could not park a message from %s; requeueing it", self.queue.name)
            eventlet.sleep(1)
            requeue(self.queue_consumer, message)
            return
        log.error(
            "parked a message from %s after %d attempts: %s", self.queue.name, attempts, error
        )
        ack(self.queue_consumer, message)


class EveryEventHandler(ReliableEventHandler):
    """Every event of each service named in the configuration's `sources` key (a
    mapping or list of service names): SERVICES, set by the composition root."""

    def __init__(self, sources: str = "SERVICES", into: str | None = None, **kwargs):
        self.source_key = sources
        self.into = into
        EventHandler.__init__(self, "*", "#", **kwargs)

    def declared_queue(self, service: str, method: str, config: dict) -> Queue:
        return every_event_queue(self.sources(config), service, method)

    def consumed_queue(self, service: str, method: str, config: dict) -> Queue:
        # Its bindings to the sources' events are the declaration's, then its
        # service's to narrow (fan_in.py): starting to consume must not bind it by
        # every type again.
        declared = self.declared_queue(service, method, config)
        replays = [
            b for b in declared.bindings if b.exchange.name == replays_exchange(service).name
        ]
        return Queue(declared.name, bindings=replays, durable=True, auto_delete=False)

    def sources(self, config: dict) -> list[str]:
        return sorted(config[self.source_key])

    def _readable(self, body) -> dict:
        check_envelope(body)
        major_version(body)
        return body


event_handler = ReliableEventHandler.decorator
every_event = EveryEventHandler.decorator

__all__ = ["event_handler", "every_event", "EveryEventHandler", "ReliableEventHandler"]
