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

from nameko.amqp.publish import Publisher
from nameko.constants import NON_PERSISTENT
from nameko.rpc import Responder


class ReplyPublisher(Publisher):
    use_confirms = False
    delivery_mode = NON_PERSISTENT


class Replier(Responder):
    """nameko's Responder, sending the reply as the module says."""

    publisher_cls = ReplyPublisher


def request_publisher(amqp_uri: str, writes: bool) -> Publisher:
    """The publisher of requests: confirmed and mandatory for writes only."""
    return Publisher(amqp_uri, use_confirms=writes, mandatory=writes, delivery_mode=NON_PERSISTENT)
