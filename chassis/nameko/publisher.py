"""Publishing a batch of events with publisher confirms, waiting once per batch.

kombu's `confirm_publish` waits for the broker's confirm after every message
(about 1 ms each); here the channel is put in confirm mode and the whole batch is
published before waiting for the acks, which the broker may send as one
`multiple` ack. A nack or a timeout raises, and the caller leaves the batch unsent.
"""

from __future__ import annotations

import contextlib

from amqp import Message
from kombu import Connection, Exchange

from chassis.context import KEY as CALLER_KEY
from chassis.context import on_the_wire


class PublishFailed(Exception):
    pass


class BatchPublisher:
    def __init__(self, amqp_uri: str, exchange: str, confirm_timeout: float = 10.0):
        self.amqp_uri = amqp_uri
        self.exchange = exchange
        self.confirm_timeout = confirm_timeout
        self._conn: Connection | None = None
        self._channel = None

    def _connect(self):
        if self._channel is None:
            self._conn = Connection(self.amqp_uri, connect_timeout=5, heartbeat=0)
            self._conn.ensure_connection(max_retries=1)
            channel = self._conn.channel()
            Exchange(self.exchange, type="topic", durable=True)(channel).declare()
            channel.confirm_select()
            self._acks: set[int] = set()
            self._nacks: set[int] = set()
            self._next_tag = 1
            channel.events["basic_ack"].add(self._on_ack)
            channel.events["basic_nack"].add(self._on_nack)
            self._channel = channel
        return self._channel

    def _on_ack(self, delivery_tag, multiple):
        self._confirm(self._acks, delivery_tag, multiple)

    def _on_nack(self, delivery_tag, multiple):
        self._confirm(self._nacks, delivery_tag, multiple)

    def _confirm(self, into: set, tag: int, multiple: bool) -> None:
        if multiple:
            into.update(t for t in self._outstanding if t <= tag)
        else:
            into.add(tag)

    def publish_batch(self, events: list[tuple[str, str, str, dict | None]]) -> None:
        """Publish (routing key, event id, JSON body, caller context) tuples; return
        when all are confirmed by the broker, raise PublishFailed otherwise."""
        try:
            channel = self._connect()
            self._outstanding: set[int] = set()
            self._acks.clear()
            self._nacks.clear()
            for routing_key, event_id, body, context in events:
                headers = {f"nameko.{CALLER_KEY}": on_the_wire(context)} if context else {}
                message = Message(
                    body,
                    content_type="application/json",
                    content_encoding="utf-8",
                    delivery_mode=2,
                    message_id=event_id,
                    type=routing_key,
                    application_headers=headers,
                )
                channel.basic_publish(message, exchange=self.exchange, routing_key=routing_key)
                self._outstanding.add(self._next_tag)
                self._next_tag += 1
            while not self._outstanding <= (self._acks | self._nacks):
                self._conn.drain_events(timeout=self.confirm_timeout)
        except Exception as exc:
            self.close()
            raise PublishFailed(f"publishing to {self.exchange} failed: {exc}") from exc
        if self._nacks & self._outstanding:
            raise PublishFailed(f"the broker refused {len(self._nacks)} events")

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.release()
        self._conn = None
        self._channel = None
