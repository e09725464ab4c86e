"""Integrators' own access to the broker: a user each, who reads the services' events
through queues of its own, and can do nothing else there.

RabbitMQ grants three regular expressions over resource names per user and virtual
host: configure (declare, delete), write (publish; and bind, on the queue) and read
(consume; and bind, on the exchange). An integrator NAME gets

  configure  ^integrator\\.NAME\\..+$        its own queues
  write      ^integrator\\.NAME\\..+$        binding them
  read       its own queues, and each service's `<service>.events` exchange

so it never publishes into an event exchange, never reaches an RPC queue or another
integrator's queues. RabbitMQ's rights name resources, not their kinds: it may also
declare an exchange under its own prefix and publish to it, which reaches only the
queues it may bind there, its own (a queue's binding needs write on that queue).
The users are made through the broker's management API (pustaka/broker_users.py),
with the platform's own broker credentials (AMQP_URI) on BROKER_MANAGEMENT_PORT.

  pustaka integrators create NAME     a user and its password (shown once)
  pustaka integrators list
  pustaka integrators remove NAME
"""

from __future__ import annotations

import re
import secrets

from chassis.errors import field_error
from chassis.nameko.queues import INTEGRATOR, integrator_permissions, integrator_queues

from . import platform
from .broker_users import broker

NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,39}\Z")
USER_PREFIX = INTEGRATOR  # the user of NAME is integrator.NAME
TAGS = "pustaka-integrator"  # how this command knows the users it made


def queue_prefix(name: str) -> str:
    return integrator_queues(name)


def create(config: dict, name: str) -> tuple[str, str]:
    """A broker user for integrator `name` (a new password if it exists): (user, password)."""
    if not NAME.match(name):
        raise field_error("name", "1-40 lowercase letters, digits and dashes, first not a dash.")
    user, password = USER_PREFIX + name, secrets.token_urlsafe(24)
    services = [p.name for p in platform.services()]
    broker(config).put_user(user, password, integrator_permissions(name, services), TAGS)
    return user, password


def add_commands(sub) -> None:
    group = sub.add_parser("integrators", help="integrators' broker users").add_subparsers(
        dest="integrators_cmd", required=True
    )
    group.add_parser("create").add_argument("name")
    group.add_parser("list")
    group.add_parser("remove").add_argument("name")
    for parser in group.choices.values():
        parser.set_defaults(run=run)


def run(args, config) -> None:
    if args.integrators_cmd == "create":
        user, password = create(config, args.name)
        print(f"broker user {user} (password shown once): {password}")
        print(f"its queues: {queue_prefix(args.name)}*, bound to <service>.events")
    elif args.integrators_cmd == "list":
        for user in broker(config).users(TAGS):
            print(user["name"])
    else:
        broker(config).delete_user(USER_PREFIX + args.name)
        print(f"removed {USER_PREFIX}{args.name}")
