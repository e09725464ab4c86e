"""The broker's users: one of its own for each part, so that nothing on the broker
runs with the rights of the platform's administrator user (AMQP_URI's).

A part's user publishes only to its own `<part>.events` (no one else can forge its
events), its dead letters and the RPC exchange; it declares and reads only queues of
its own (queues.part_permissions says exactly what). Integrators get users of their
own as well (pustaka/integrators.py), which may only read events.

The users are made through the broker's management API, on BROKER_MANAGEMENT_PORT,
as the administrator user:

  pustaka broker-users    makes (or updates) every part's user, with the password
                          of its section, <PART>__BROKER_PASSWORD; compose and
                          Kubernetes run it before the services start
  `make up`               makes them itself, with passwords of its own (var/)

A part's processes then connect as `pustaka-<part>` (on a virtual host other than
"/", `pustaka-<part>@<vhost>`: users are the broker's, not a virtual host's), with
the password of its section, at AMQP_URI's host and virtual host (own_uri). Give a
part's processes no credentials but their own: AMQP_URI may name none.
"""

from __future__ import annotations

import json
import secrets
import time
from pathlib import Path
from urllib.parse import quote, unquote, urlparse, urlunparse

import requests

from chassis.config import broker_nodes
from chassis.errors import NotFound
from chassis.nameko.queues import part_permissions, rpc_topic_permissions
from chassis.trust import part_user

from . import platform

PART_TAGS = "pustaka-part"
# A read the broker fails (500) is asked again: it lists its users and then reads each,
# and one deleted meanwhile (by another client) fails the whole list
# (rabbit_mgmt_wm_users: {badmatch, {error, not_found}}).
READ_ATTEMPTS = 3


class Broker:
    """The management API of the broker at `amqp_uri` (its first node: users,
    permissions and policies are the cluster's), as that URI's user."""

    def __init__(self, amqp_uri: str, port: int):
        parsed = urlparse(broker_nodes(amqp_uri)[0])
        self.api = f"http://{parsed.hostname}:{port}/api"
        self.auth = (unquote(parsed.username or "guest"), unquote(parsed.password or "guest"))
        self.vhost = unquote(parsed.path[1:]) if len(parsed.path) > 1 else "/"

    def _call(self, method: str, path: str, **kw) -> requests.Response:
        for attempt in range(READ_ATTEMPTS if method == "GET" else 1):
            if attempt:
                time.sleep(0.2 * attempt)
            answer = requests.request(method, self.api + path, auth=self.auth, timeout=10, **kw)
            if answer.status_code < 500:
                break
        answer.raise_for_status()
        return answer

    def put_user(
        self, user: str, password: str, rights: dict, tags: str, topics: tuple = ()
    ) -> None:
        """Make or update `user` with its rights here, and its topic rights (by
        routing key, per exchange): a user with none on an exchange may use any key."""
        self._call(
            "PUT", f"/users/{quote(user, safe='')}", json={"password": password, "tags": tags}
        )
        where = f"/{quote(self.vhost, safe='')}/{quote(user, safe='')}"
        self._call("PUT", "/permissions" + where, json=rights)
        for topic in topics:
            self._call("PUT", "/topic-permissions" + where, json=topic)

    def put_policy(self, name: str, body: dict) -> None:
        where = f"/policies/{quote(self.vhost, safe='')}/{quote(name, safe='')}"
        self._call("PUT", where, json=body)

    def users(self, tags: str) -> list[dict]:
        return [u for u in self._call("GET", "/users").json() if tags in str(u.get("tags"))]

    def connections(self) -> list[dict]:
        return self._call("GET", "/connections").json()

    def delete_user(self, user: str) -> None:
        answer = requests.delete(
            f"{self.api}/users/{quote(user, safe='')}", auth=self.auth, timeout=10
        )
        if answer.status_code == 404:
            raise NotFound(f"No broker user {user!r}.", {"name": user})
        answer.raise_for_status()


def broker(config: dict) -> Broker:
    return Broker(config["AMQP_URI"], int(config["BROKER_MANAGEMENT_PORT"]))


def as_user(amqp_uri: str, user: str, password: str) -> str:
    """`amqp_uri` (each of its nodes) with another user's credentials."""
    credentials = f"{quote(user, safe='')}:{quote(password, safe='')}"
    nodes = []
    for node in broker_nodes(amqp_uri):
        parsed = urlparse(node)
        host = parsed.hostname + (f":{parsed.port}" if parsed.port else "")
        nodes.append(urlunparse(parsed._replace(netloc=f"{credentials}@{host}")))
    return ";".join(nodes)


def own_uri(config: dict, part: str) -> str:
    """The broker URI a part's processes connect with: as its own user where its
    section has a BROKER_PASSWORD, else AMQP_URI as it is."""
    password = config[part].get("BROKER_PASSWORD")
    if not password:
        return config["AMQP_URI"]
    return as_user(config["AMQP_URI"], part_user(part, config["AMQP_URI"]), str(password))


def command_uri(config: dict) -> str:
    """The URI an operator's command connects with: AMQP_URI's, where it names a user;
    in a part's pod (AMQP_URI names none, and only that part's password is set), the
    part's own user: `pustaka keys revoke` in the gateway's pod speaks as the gateway."""
    if urlparse(broker_nodes(config["AMQP_URI"])[0]).username:
        return config["AMQP_URI"]
    owned = [p.name for p in platform.parts() if config[p.name].get("BROKER_PASSWORD")]
    return own_uri(config, owned[0]) if len(owned) == 1 else config["AMQP_URI"]


def make_part_users(config: dict, passwords: dict[str, str]) -> list[str]:
    """Make (or update) the user of every part, with its password: the users' names."""
    admin = broker(config)
    contracts = [p.contract_module().CONTRACT for p in platform.services()]
    users = []
    for part in platform.parts():
        user = part_user(part.name, config["AMQP_URI"])
        rights = part_permissions(part.name)
        topics = (rpc_topic_permissions(part.name, contracts),)
        admin.put_user(user, passwords[part.name], rights, PART_TAGS, topics)
        users.append(user)
    return users


def users(config: dict) -> dict[str, str]:
    """Every part's own user, by part (chassis/trust.py: USERS_KEY)."""
    return {p.name: part_user(p.name, config["AMQP_URI"]) for p in platform.parts()}


def password_variable(part: str) -> str:
    return f"{part.upper()}__BROKER_PASSWORD"


def local_passwords(var: Path) -> dict[str, str]:
    """The runner's passwords for the parts' users, made once and kept in var/ (mode 600)."""
    path = var / "broker-passwords.json"
    kept = json.loads(path.read_text()) if path.exists() else {}
    wanted = {p.name: kept.get(p.name) or secrets.token_urlsafe(24) for p in platform.parts()}
    if wanted != kept:
        path.touch(mode=0o600)
        path.write_text(json.dumps(wanted, indent=1))
    return wanted


def configured_passwords(config: dict) -> dict[str, str]:
    """Each part's password from its section (<PART>__BROKER_PASSWORD)."""
    missing = [p.name for p in platform.parts() if not config[p.name].get("BROKER_PASSWORD")]
    if missing:
        names = ", ".join(password_variable(name) for name in missing)
        raise SystemExit(f"set {names}: each part's broker user needs its password")
    return {p.name: str(config[p.name]["BROKER_PASSWORD"]) for p in platform.parts()}


def add_commands(sub) -> None:
    sub.add_parser(
        "broker-users", help="make each part's broker user (<PART>__BROKER_PASSWORD)"
    ).set_defaults(run=run)


def run(args, config) -> None:
    for user in make_part_users(config, configured_passwords(config)):
        print(f"made broker user {user}")
