"""Bounds on the queues that fill while their consumer is away, as broker policies:
a subscriber that goes away for good must not make the broker grow without end.

  a service's handler queues   evt-...--<service>.<handler>: at most
                               HANDLER_QUEUE_MAX_LENGTH messages; past it the oldest
                               is dead-lettered to `<service>.dead-letters`, where
                               `pustaka dlq list|replay` finds it (never dropped unseen)
  an integrator's queues       integrator.<name>.*: at most INTEGRATOR_QUEUE_MAX_LENGTH
                               messages, none older than INTEGRATOR_QUEUE_MAX_AGE_SECONDS;
                               past either, dead-lettered to `integrators.dead-letters`
  the dead-letter queues       `<service>.dead-letters`, `integrators.dead-letters`: at
                               most DEAD_LETTERS_MAX_LENGTH, the oldest dropped past it
                               (the end of the line: an operator's to look at in time)

Overflow drops the head (the oldest) rather than refusing publishes: a refused
publish would fail the publishing service's outbox batch for every subscriber, so
one subscriber gone would stop a service's events for all.

A policy is the broker's own: it applies to queues declared before or after it
(an integrator's, which `pustaka integrators subscribe` declares, too), and `pustaka
declare` (`make up`, compose's and Kubernetes' migration step) sets these through the
management API, as the administrator, beside the exchanges and queues it declares.
One policy applies to a queue at a time; the patterns here do not overlap, and an
operator's own policy of higher priority takes precedence over them.
"""

from __future__ import annotations

import re

from kombu import Connection, Exchange, Queue

from chassis.nameko.queues import INTEGRATOR, dead_letters_exchange

from . import platform
from .broker_users import broker

PREFIX = "pustaka-bounds-"
INTEGRATORS_DEAD_LETTERS = "integrators.dead-letters"


def integrators_dead_letters() -> Queue:
    """Where integrators' overflow goes: a fanout exchange and the queue bound to it."""
    exchange = Exchange(INTEGRATORS_DEAD_LETTERS, type="fanout", durable=True)
    return Queue(INTEGRATORS_DEAD_LETTERS, exchange, durable=True, auto_delete=False)


def policies(config: dict) -> dict[str, dict]:
    """Each policy's name and body, as the management API takes them."""
    handler_max = int(config["HANDLER_QUEUE_MAX_LENGTH"])
    dead_max = int(config["DEAD_LETTERS_MAX_LENGTH"])
    made = {}
    services = [p.name for p in platform.parts() if p.reliable]
    for service in services:
        made[f"{PREFIX}{service}-handlers"] = _policy(
            rf"^evt-.+--{re.escape(service)}\..+$",
            {
                "max-length": handler_max,
                "overflow": "drop-head",
                "dead-letter-exchange": dead_letters_exchange(service).name,
                "dead-letter-routing-key": f"{service}.dead-letters",
            },
        )
    made[f"{PREFIX}integrators"] = _policy(
        rf"^{re.escape(INTEGRATOR)}.+$",
        {
            "max-length": int(config["INTEGRATOR_QUEUE_MAX_LENGTH"]),
            "message-ttl": int(config["INTEGRATOR_QUEUE_MAX_AGE_SECONDS"]) * 1000,
            "overflow": "drop-head",
            "dead-letter-exchange": INTEGRATORS_DEAD_LETTERS,
        },
    )
    dead = "|".join(re.escape(f"{s}.dead-letters") for s in services)
    made[f"{PREFIX}dead-letters"] = _policy(
        rf"^({dead}|{re.escape(INTEGRATORS_DEAD_LETTERS)})$",
        {"max-length": dead_max, "overflow": "drop-head"},
    )
    return made


def _policy(pattern: str, definition: dict) -> dict:
    return {"pattern": pattern, "apply-to": "queues", "priority": 0, "definition": definition}


def apply(config: dict) -> list[str]:
    """Declare the integrators' dead-letter queue and set every policy: their names."""
    with Connection(config["AMQP_URI"], connect_timeout=5) as conn:
        integrators_dead_letters()(conn.channel()).declare()
    admin, made = broker(config), policies(config)
    for name, body in made.items():
        admin.put_policy(name, body)
    return list(made)
