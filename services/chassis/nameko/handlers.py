"""Reliable event handling.

`event_handler(source, event_type)` is nameko's service-pool event handler with
three changes:
- the body must be a complete envelope (else it is parked at once);
- a handler that raises is retried in-process with exponential backoff, the message
  unacked meanwhile (a crash redelivers it), up to HANDLER_MAX_ATTEMPTS attempts;
- then the message is parked, intact, in the service's dead-letter queue before it
  is acked. nameko's own handler would ack and drop it.
Idempotency is the handler's transaction: `self.db.apply_once(event, effect, ...)`.
"""

from __future__ import annotations

import logging
import traceback
from functools import partial

import eventlet
from nameko.events import EventHandler
from nameko.exceptions import ContainerBeingKilled

from services.chassis.envelope import BadEnvelope, check_envelope

from .deadletters import park

log = logging.getLogger(__name__)


class ReliableEventHandler(EventHandler):
    def handle_message(self, body, message):
        try:
            check_envelope(body)
        except BadEnvelope as exc:
            self._park(message, 0, f"BadEnvelope: {exc}")
            return
        self._spawn(body, message, attempt=1)

    def _spawn(self, body, message, attempt: int) -> None:
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
            self.queue_consumer.requeue_message(message)

    def _handled(self, body, message, attempt, worker_ctx, result=None, exc_info=None):
        if exc_info is None:
            self.queue_consumer.ack_message(message)
            return result, exc_info
        config = self.container.config
        max_attempts = int(config["HANDLER_MAX_ATTEMPTS"])
        if attempt < max_attempts:
            delay = float(config["HANDLER_RETRY_BASE_SECONDS"]) * 2 ** (attempt - 1)
            log.warning(
                "%s failed on %s (attempt %d of %d); retrying in %.2fs",
                worker_ctx.entrypoint.method_name,
                body.get("id"),
                attempt,
                max_attempts,
                delay,
            )
            eventlet.spawn_after(delay, self._spawn, body, message, attempt + 1)
        else:
            error = "".join(traceback.format_exception_only(exc_info[0], exc_info[1])).strip()
            self._park(message, attempt, error)
        return result, exc_info

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
            self.queue_consumer.requeue_message(message)
            return
        log.error(
            "parked a message from %s after %d attempts: %s", self.queue.name, attempts, error
        )
        self.queue_consumer.ack_message(message)


event_handler = ReliableEventHandler.decorator

__all__ = ["event_handler", "ReliableEventHandler"]
