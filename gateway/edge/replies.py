"""The replies to the gateway's calls: one queue per gateway process, read without
acknowledgements and handed to the waiting call from the consumer's own loop.

nameko's ReplyListener acknowledges every reply and starts a green thread for each;
both cost the gateway and the broker on every call and buy nothing here: a reply is
wanted only by a call still waiting in this process, so one lost with the process
is lost with whoever waited for it.

A reply is taken only from the broker user of the part that was called (its
`user_id`, which the broker vouches for: chassis/trust.py); any other is
dropped, so no part can answer in another's place. The consumer's connection is also
the gateway's view of the broker: while it is lost, calls are refused at once
(`broker_lost`) instead of each waiting to find out.
"""

from __future__ import annotations

import logging
import time
import uuid

from eventlet.event import Event
from kombu import Connection, Queue
from kombu.mixins import ConsumerMixin
from nameko.extensions import SharedExtension
from nameko.rpc import RPC_REPLY_QUEUE_TEMPLATE, RPC_REPLY_QUEUE_TTL, get_rpc_exchange

from chassis.nameko.intake import PromptReconnect
from chassis.trust import reply_key

log = logging.getLogger(__name__)


class Replies(SharedExtension, PromptReconnect, ConsumerMixin):
    def setup(self) -> None:
        config = self.container.config
        self.routing_key = reply_key(self.container.service_name, uuid.uuid4().hex)
        self.queue = Queue(
            RPC_REPLY_QUEUE_TEMPLATE.format(self.container.service_name, self.routing_key),
            exchange=get_rpc_exchange(config),
            routing_key=self.routing_key,
            queue_arguments={"x-expires": RPC_REPLY_QUEUE_TTL},  # gone after the process
        )
        self.connection = Connection(config["AMQP_URI"])
        self._waiting: dict[str, tuple[Event, str]] = {}
        self._consuming = Event()
        self._thread = None
        self.lost_since: float | None = None  # monotonic time the broker was lost

    def start(self) -> None:
        """Consume before any call can be made, so no reply comes to no one."""
        self._thread = self.container.spawn_managed_thread(self.run)
        self._consuming.wait()

    def stop(self) -> None:
        self.should_stop = True
        if self._thread is not None:
            self._thread.wait()
        self.connection.release()

    def kill(self) -> None:
        self.should_stop = True

    def get_reply_event(self, correlation_id: str, replier: str) -> Event:
        """The event a call waits on for the reply to its request `correlation_id`,
        which only the broker user `replier` may send."""
        waiting = Event()
        self._waiting[correlation_id] = (waiting, replier)
        return waiting

    def broker_lost(self) -> bool:
        """Whether the broker is away now, as this process's consumer sees it."""
        return self.lost_since is not None

    def forget(self, correlation_id: str) -> None:
        """A call that stopped waiting (its deadline passed): its reply, if it ever
        comes, is dropped."""
        self._waiting.pop(correlation_id, None)

    # -- kombu's ConsumerMixin: consuming, and again after each reconnection ------------
    def get_consumers(self, consumer_cls, channel):
        return [
            consumer_cls(
                queues=[self.queue], callbacks=[self._on_reply], no_ack=True, accept=["json"]
            )
        ]

    def on_consume_ready(self, connection, channel, consumers, **kwargs) -> None:
        if self.lost_since is not None:
            log.warning("the broker is back after %.1fs", time.monotonic() - self.lost_since)
            self.lost_since = None
        if not self._consuming.ready():
            self._consuming.send(None)

    def on_connection_error(self, exc, interval) -> None:
        if self.lost_since is None:
            self.lost_since = time.monotonic()
            log.warning("the broker cannot be reached (%r); calls are refused until it is", exc)

    def _on_reply(self, body, message) -> None:
        correlation_id = message.properties.get("correlation_id")
        waiting = self._waiting.get(correlation_id)
        if waiting is None:
            return
        event, replier = waiting
        if message.properties.get("user_id") != replier:
            log.warning(
                "dropped a reply to %s from %r: only %r answers it",
                correlation_id,
                message.properties.get("user_id"),
                replier,
            )
            return
        del self._waiting[correlation_id]
        event.send(body)
