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

# A publish while the broker is away fails within about a second (nameko's default
# retries for seconds, holding the caller's worker): the caller answers 503 at once.
PROMPT_RETRY = {"max_retries": 2, "interval_start": 0.1, "interval_step": 0.2, "interval_max": 0.5}


def request_publisher(amqp_uri: str, writes: bool, user: str) -> Publisher:
    """The publisher of requests, as `user` (the broker checks it: trust.py):
    confirmed and mandatory for writes only."""
    return Publisher(
        amqp_uri,
        use_confirms=writes,
        mandatory=writes,
        delivery_mode=NON_PERSISTENT,
        retry_policy=PROMPT_RETRY,
        user_id=user,
    )
