"""Integrators' own access to the broker: a user each, who reads the services' events
through queues of its own, and can do nothing else there.

RabbitMQ grants three regular expressions over resource names per user and virtual
host: configure (declare, delete), write (publish; and bind, on the queue) and read
(consume; and bind, on the exchange). An integrator NAME gets

  configure  ^integrator\\.NAME\\..+$        its own queues
  write      ^integrator\\.NAME\\..+$        binding them
  read       its own queues, and each service's `<service>.events` exchange

so it never publishes into an event exchange, never reaches an RPC queue or another
integrator's queues, and declares no exchange (they exist: `pustaka declare`).
The users are made through the broker's management API, with the platform's own
broker credentials (AMQP_URI) on BROKER_MANAGEMENT_PORT.

  pustaka integrators create NAME     a user and its password (shown once)
  pustaka integrators list
  pustaka integrators remove NAME
"""

from __future__ import annotations

import re
import secrets
from urllib.parse import quote, unquote, urlparse

import requests

from services.chassis.errors import NotFound, field_error
from services.chassis.nameko.queues import INTEGRATOR, integrator_queues

from . import platform

NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,39}\Z")
USER_PREFIX = INTEGRATOR  # the user of NAME is integrator.NAME
TAGS = "pustaka-integrator"  # how this command knows the users it made


def queue_prefix(name: str) -> str:
    return integrator_queues(name)


def permissions(name: str, services: list[str]) -> dict:
    own = f"^{re.escape(queue_prefix(name))}.+$"
    exchanges = "|".join(re.escape(f"{s}.events") for s in services)
    return {"configure": own, "write": own, "read": f"^({own[1:-1]}|{exchanges})$"}


class Broker:
    """The management API of the broker at `amqp_uri`, as the platform's own user."""

    def __init__(self, amqp_uri: str, port: int):
        parsed = urlparse(amqp_uri)
        self.api = f"http://{parsed.hostname}:{port}/api"
        self.auth = (unquote(parsed.username or "guest"), unquote(parsed.password or "guest"))
        self.vhost = unquote(parsed.path[1:]) if len(parsed.path) > 1 else "/"

    def _call(self, method: str, path: str, **kw) -> requests.Response:
        answer = requests.request(method, self.api + path, auth=self.auth, timeout=10, **kw)
        answer.raise_for_status()
        return answer

    def put_user(self, user: str, password: str, rights: dict) -> None:
        self._call(
            "PUT", f"/users/{quote(user, safe='')}", json={"password": password, "tags": TAGS}
        )
        where = f"/permissions/{quote(self.vhost, safe='')}/{quote(user, safe='')}"
        self._call("PUT", where, json=rights)

    def users(self) -> list[dict]:
        return [u for u in self._call("GET", "/users").json() if TAGS in str(u.get("tags"))]

    def delete_user(self, user: str) -> None:
        answer = requests.delete(
            f"{self.api}/users/{quote(user, safe='')}", auth=self.auth, timeout=10
        )
        if answer.status_code == 404:
            raise NotFound(f"No integrator {user!r}.", {"name": user})
        answer.raise_for_status()


def broker(config: dict) -> Broker:
    return Broker(config["AMQP_URI"], int(config["BROKER_MANAGEMENT_PORT"]))


def create(config: dict, name: str) -> tuple[str, str]:
    """A broker user for integrator `name` (a new password if it exists): (user, password)."""
    if not NAME.match(name):
        raise field_error("name", "1-40 lowercase letters, digits and dashes, first not a dash.")
    user, password = USER_PREFIX + name, secrets.token_urlsafe(24)
    services = [p.name for p in platform.services()]
    broker(config).put_user(user, password, permissions(name, services))
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
        for user in broker(config).users():
            print(user["name"])
    else:
        broker(config).delete_user(USER_PREFIX + args.name)
        print(f"removed {USER_PREFIX}{args.name}")
