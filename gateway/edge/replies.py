"""The replies to the gateway's calls: one queue per gateway process, read without
acknowledgements and handed to the waiting call from the consumer's own loop.

nameko's ReplyListener acknowledges every reply and starts a green thread for each;
both cost the gateway and the broker on every call and buy nothing here: a reply is
wanted only by a call still waiting in this process, so one lost with the process
is lost with whoever waited for it.
"""

from __future__ import annotations

import logging
import uuid

from eventlet.event import Event
from kombu import Connection, Queue
from kombu.mixins import ConsumerMixin
from nameko.extensions import SharedExtension
from nameko.rpc import RPC_REPLY_QUEUE_TEMPLATE, RPC_REPLY_QUEUE_TTL, get_rpc_exchange

log = logging.getLogger(__name__)


class Replies(SharedExtension, ConsumerMixin):
    def setup(self) -> None:
        config = self.container.config
        self.routing_key = uuid.uuid4().hex
        self.queue = Queue(
            RPC_REPLY_QUEUE_TEMPLATE.format(self.container.service_name, self.routing_key),
            exchange=get_rpc_exchange(config),
            routing_key=self.routing_key,
            queue_arguments={"x-expires": RPC_REPLY_QUEUE_TTL},  # gone after the process
        )
        self.connection = Connection(config["AMQP_URI"])
        self._waiting: dict[str, Event] = {}
        self._consuming = Event()
        self._thread = None

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

    def get_reply_event(self, correlation_id: str) -> Event:
        """The event a call waits on for the reply to its request `correlation_id`."""
        waiting = self._waiting[correlation_id] = Event()
        return waiting

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
        if not self._consuming.ready():
            self._consuming.send(None)

    def _on_reply(self, body, message) -> None:
        waiting = self._waiting.pop(message.properties.get("correlation_id"), None)
        if waiting is not None:
            waiting.send(body)
