"""Who is who on the broker, and who may call whom.

Each part connects to RabbitMQ as a user of its own (pustaka/broker_users.py), and
every request and reply it publishes carries that user's name in the message's
`user_id` property, which the broker itself checks against the connection's user: a
message claiming another user's name is refused by the broker, so the name a part
reads there is one the broker vouches for. A header (nameko's context data) is
anyone's to write, so:

- a part answers a call only from a part its contract lets call that method
  (`Method.callers`, the gateway's by default: the declared table), and takes the
  end user's identity (role, branch, partner) only from the gateway's user;
- the gateway takes a reply only from the user of the part it called.

The broker enforces the same table (queues.rpc_topic_permissions): a part may publish
on the RPC exchange only the calls the table gives it and replies to its callers, and
bind only its own requests and its own replies.

Where parts have no users of their own (BROKER_PART_USERS off, and the tests' own
services), every part is AMQP_URI's user: the checks hold, and say nothing.
"""

from __future__ import annotations

from urllib.parse import unquote, urlparse

from .config import broker_nodes

GATEWAY = "gateway"  # the part that speaks for end users
# Every part's users, by part name; set by the composition root where each part has a
# user of its own (pustaka/run.py), else every part is AMQP_URI's user.
USERS_KEY = "BROKER_USERS"


def part_user(part: str, amqp_uri: str) -> str:
    """A part's own broker user: users are the broker's, not a virtual host's, so one
    on a virtual host other than "/" carries its name."""
    vhost = vhost_of(amqp_uri)
    return f"pustaka-{part}" if vhost == "/" else f"pustaka-{part}@{vhost}"


def vhost_of(amqp_uri: str) -> str:
    path = urlparse(broker_nodes(amqp_uri)[0]).path
    return unquote(path[1:]) if len(path) > 1 else "/"


def uri_user(amqp_uri: str) -> str:
    """The user an AMQP URI connects as (the client's default where it names none)."""
    return unquote(urlparse(broker_nodes(amqp_uri)[0]).username or "guest")


def user_of(config: dict, part: str) -> str:
    """The broker user messages of `part` come from."""
    users = config.get(USERS_KEY)
    return users[part] if users else uri_user(config["AMQP_URI"])


def reply_key(part: str, token: str) -> str:
    """The routing key of the replies to one process of `part` on the RPC exchange:
    apart from every `<service>.<method>`, so the broker can tell them apart."""
    return f"reply.{part}.{token}"


def callers(contract, method: str) -> tuple[str, ...]:
    """The parts that may call `method` of the part whose contract this is: the
    contract's table; no one, for a method it does not declare."""
    if contract is None:
        return (GATEWAY,)
    try:
        return contract.method(method).callers
    except LookupError:
        return ()


def calls_of(contracts, part: str) -> dict[str, list[str]]:
    """What `part` may call: service -> its methods, by every contract's table."""
    allowed: dict[str, list[str]] = {}
    for contract in contracts:
        for method in contract.methods:
            if part in method.callers:
                allowed.setdefault(contract.service, []).append(method.name)
    return allowed


def callers_of(contracts, service: str) -> list[str]:
    """The parts that may call any method of `service`: whom it may reply to."""
    found: list[str] = []
    for contract in contracts:
        if contract.service == service:
            for method in contract.methods:
                found += [c for c in method.callers if c not in found]
    return found
