"""Integrators' own access to the broker: a user each, who reads the services' events
through queues the operator makes for it, and can do nothing else there.

RabbitMQ grants three regular expressions over resource names per user and virtual
host: configure (declare, delete), write (publish; and bind, on the queue) and read
(consume; and bind, on the exchange). Its rights name resources, not their kinds: a
user that may declare and bind its own queues may as well declare an exchange of the
same name and publish to it. So an integrator NAME gets

  configure  nothing
  write      nothing
  read       ^integrator\\.NAME\\..+$        its own queues

and the operator declares its queues and their bindings (as the platform's
administrator user, AMQP_URI's), checked against the event catalogue. It never
publishes, never declares, never reaches an RPC queue or another integrator's queues.
The users are made through the broker's management API (pustaka/broker_users.py) on
BROKER_MANAGEMENT_PORT.

  pustaka integrators create NAME                a user and its password (shown once)
  pustaka integrators subscribe NAME QUEUE PATTERN...
                                                 its queue integrator.NAME.QUEUE, bound
                                                 to each pattern's events (*, service.*,
                                                 service.type); again, to add patterns
  pustaka integrators unsubscribe NAME QUEUE     the queue removed, with what it held
  pustaka integrators list
  pustaka integrators remove NAME
"""

from __future__ import annotations

import re
import secrets

from kombu import Connection, Queue, binding

from chassis.errors import field_error
from chassis.event_catalogue import check_event_types, event_catalogue, routes
from chassis.nameko.queues import INTEGRATOR, events_exchange, integrator_permissions

from .broker_users import broker

NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,39}\Z")
QUEUE = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}\Z")
USER_PREFIX = INTEGRATOR  # the user of NAME is integrator.NAME
TAGS = "pustaka-integrator"  # how this command knows the users it made


def _checked(value: str, pattern: re.Pattern, field: str) -> str:
    if not pattern.match(value):
        raise field_error(field, "1-40 lowercase letters, digits and dashes, first not a dash.")
    return value


def create(config: dict, name: str) -> tuple[str, str]:
    """A broker user for integrator `name` (a new password if it exists): (user, password)."""
    user = USER_PREFIX + _checked(name, NAME, "name")
    password = secrets.token_urlsafe(24)
    broker(config).put_user(user, password, integrator_permissions(name), TAGS)
    return user, password


def bindings(patterns: list[str], services: dict[str, str]) -> list[tuple[str, str]]:
    """(service, routing key) for each pattern, checked against the event catalogue:
    `*` is every service's events, `service.*` all of one service's."""
    catalogue = event_catalogue(services)
    for pattern in patterns:
        if pattern != "*" and "." not in pattern:
            raise field_error("patterns", f"{pattern!r}: write *, service.* or service.type.")
    check_event_types(patterns, catalogue, field="patterns")
    return routes(patterns, catalogue)


def queue_name(name: str, queue: str) -> str:
    return f"{USER_PREFIX}{_checked(name, NAME, 'name')}.{_checked(queue, QUEUE, 'queue')}"


def queue_of(name: str, queue: str, patterns: list[str], services: dict[str, str]) -> Queue:
    routes = bindings(patterns, services)
    return Queue(
        queue_name(name, queue),
        bindings=[binding(events_exchange(s), routing_key=key) for s, key in routes],
        durable=True,
        auto_delete=False,
    )


def subscribe(config: dict, name: str, queue: str, patterns: list[str]) -> Queue:
    """Declare integrator `name`'s queue and bind it to `patterns` (bindings it has
    stay): the queue. The exchanges are the services' own, declared as they do."""
    made = queue_of(name, queue, patterns, config["SERVICES"])
    with Connection(config["AMQP_URI"], connect_timeout=5) as conn:
        made(conn.channel()).declare()
    return made


def unsubscribe(config: dict, name: str, queue: str) -> None:
    gone = Queue(queue_name(name, queue))
    with Connection(config["AMQP_URI"], connect_timeout=5) as conn:
        gone(conn.channel()).delete()


def add_commands(sub) -> None:
    group = sub.add_parser("integrators", help="integrators' broker users").add_subparsers(
        dest="integrators_cmd", required=True
    )
    group.add_parser("create").add_argument("name")
    group.add_parser("list")
    group.add_parser("remove").add_argument("name")
    subscribing = group.add_parser("subscribe")
    subscribing.add_argument("name")
    subscribing.add_argument("queue")
    subscribing.add_argument("patterns", nargs="+", help="*, service.* or service.type")
    unsubscribing = group.add_parser("unsubscribe")
    unsubscribing.add_argument("name")
    unsubscribing.add_argument("queue")
    for parser in group.choices.values():
        parser.set_defaults(run=run)


def run(args, config) -> None:
    if args.integrators_cmd == "create":
        user, password = create(config, args.name)
        print(f"broker user {user} (password shown once): {password}")
        print(f"give it queues: pustaka integrators subscribe {args.name} QUEUE PATTERN...")
    elif args.integrators_cmd == "subscribe":
        made = subscribe(config, args.name, args.queue, args.patterns)
        keys = ", ".join(f"{b.exchange.name} {b.routing_key}" for b in made.bindings)
        print(f"queue {made.name}, bound to: {keys}")
    elif args.integrators_cmd == "unsubscribe":
        unsubscribe(config, args.name, args.queue)
        print(f"removed queue {queue_name(args.name, args.queue)}")
    elif args.integrators_cmd == "list":
        for user in names(config):
            print(user)
    else:
        remove(config, args.name)
        print(f"removed {USER_PREFIX}{args.name}")


def names(config: dict) -> list[str]:
    """The integrators' broker users."""
    return [user["name"] for user in broker(config).users(TAGS)]


def remove(config: dict, name: str) -> None:
    broker(config).delete_user(USER_PREFIX + name)
