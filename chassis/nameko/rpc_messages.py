"""How RPC requests and replies travel, for the services that answer them and the
gateway that sends them.

nameko sends both persistent and waits for the broker's confirm of each: two waits
per call that buy nothing an RPC can use, and were the largest part of a call's cost
(measured: a third of a service process's time went to confirming its replies).

- Transient, not persistent. A request expires on the broker at its caller's
  deadline and a reply is read only by a caller still waiting, so neither is worth
  anything after a broker restart; writing them to disk only slows the broker.
- A reply is not confirmed. If it is lost, the caller's deadline answers 504; a
  write's answer is kept by the service (DatabaseSession.write_once), so the
  client's retry with its Idempotency-Key is answered, not done again.
- A request is confirmed (and published `mandatory`) only when it asks for a write:
  then the gateway knows at once that the broker took it or not (503: not done).
  A read that is lost costs its deadline and nothing else; the gateway already
  answers 503 at once for a service with no process (ConsumerProbe), the case
  `mandatory` exists for.
"""

from __future__ import annotations

import amqp
from kombu import Connection
from kombu.exceptions import ChannelError
from kombu.pools import producers
from kombu.serialization import dumps
from nameko.amqp.publish import UndeliverableMessage
from nameko.constants import DEFAULT_RETRY_POLICY, DEFAULT_TRANSPORT_OPTIONS, NON_PERSISTENT

# A publish while the broker is away fails within about a second (nameko's default
# retries for seconds, holding the caller's worker): the caller answers 503 at once.
PROMPT_RETRY = {"max_retries": 2, "interval_start": 0.1, "interval_step": 0.2, "interval_max": 0.5}


class RpcPublisher:
    """Publishes requests or replies, transient, as `user` (the broker checks it:
    trust.py), confirmed and `mandatory` if `confirms`.

    It does what nameko's Publisher does for a message, with its pool of producers
    found once: nameko builds a kombu Connection (parsing the broker's URL) for every
    message only to find that pool, 6% of the gateway's time under load (py-spy).
    And the message goes straight to the producer's channel: kombu's publish wraps
    every one in a new retrying closure and rebuilds its properties: a request cost
    161 µs of CPU that way, 92-127 µs this way, a reply 131 against 72-77
    (tests/bench/publish.py). Only a publish that fails on its connection goes
    kombu's way, which reconnects and tries again by the retry policy."""

    def __init__(self, amqp_uri: str, user: str, confirms: bool, retry_policy: dict):
        options = {**DEFAULT_TRANSPORT_OPTIONS, "confirm_publish": confirms}
        self._pool = producers[Connection(amqp_uri, transport_options=options)]
        self._mandatory = confirms  # a message no queue took is told only by its confirm
        self._retry_policy = retry_policy
        self._user = user

    def publish(
        self,
        body,
        *,
        exchange,
        routing_key: str,
        headers=None,
        content_type: str | None = None,
        content_encoding: str | None = None,
        expiration: float | None = None,
        **properties,
    ) -> None:
        """Publish `body` (encoded as JSON unless `content_type` is given); a message
        published `mandatory` that no queue took raises UndeliverableMessage."""
        exchange = getattr(exchange, "name", exchange)  # a kombu Exchange, or its name
        if content_type is None:
            content_type, content_encoding, body = dumps(body, "json")
        if expiration is not None:  # seconds, as kombu takes it; the broker's milliseconds
            properties["expiration"] = str(int(expiration * 1000))
        message = amqp.Message(
            body,
            content_type=content_type,
            content_encoding=content_encoding,
            application_headers=headers or {},
            delivery_mode=NON_PERSISTENT,
            user_id=self._user,
            **properties,
        )
        with self._pool.acquire(block=True) as producer:

            def once() -> None:
                producer.channel.basic_publish(
                    message, exchange=exchange, routing_key=routing_key, mandatory=self._mandatory
                )

            try:
                try:
                    once()
                except ChannelError:
                    raise
                except Exception:  # the connection: kombu's way reconnects, and retries
                    producer.connection.ensure(producer, once, **self._retry_policy)()
            except ChannelError as exc:
                if "NO_ROUTE" in str(exc):
                    raise UndeliverableMessage() from exc
                raise


def request_publisher(amqp_uri: str, writes: bool, user: str) -> RpcPublisher:
    """The publisher of requests: confirmed and mandatory for writes only."""
    return RpcPublisher(amqp_uri, user, confirms=writes, retry_policy=PROMPT_RETRY)


def reply_publisher(amqp_uri: str, user: str) -> RpcPublisher:
    """The publisher of a part's replies: unconfirmed."""
    return RpcPublisher(amqp_uri, user, confirms=False, retry_policy=DEFAULT_RETRY_POLICY)
