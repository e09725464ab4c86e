"""The exchanges and queues events travel by, named in one place.

Each service publishes on its own `<service>.events` (topic), and only there: a
handler takes an event only if it came through its owner's exchange (or through
its own service's `<service>.replays`, by which an operator sends a parked message
back to the one queue it failed in), never one sent straight to its queue through
the broker's default exchange, which any client may write to.
"""

from __future__ import annotations

import re

from kombu import Exchange, Queue, binding

from chassis.trust import callers_of, calls_of

# An integrator's broker user is `integrator.<its name>` and reads its queues,
# `integrator.<its name>.<queue>`, which the operator declares and binds for it
# (pustaka/integrators.py).
INTEGRATOR = "integrator."


def integrator_queues(name: str) -> str:
    return f"{INTEGRATOR}{name}."


def events_exchange(service: str) -> Exchange:
    # As nameko's own get_event_exchange declares it, so the two never disagree.
    return Exchange(f"{service}.events", type="topic", durable=True, delivery_mode=2)


def dead_letters_exchange(service: str) -> Exchange:
    """Where a service parks a message that keeps failing (deadletters.py): its own
    exchange, so that it needs no right to the default one, which reaches every queue."""
    return Exchange(f"{service}.dead-letters", type="direct", durable=True, delivery_mode=2)


def replays_exchange(service: str) -> Exchange:
    """Where `pustaka dlq replay` sends a parked message: to its queue, by name."""
    return Exchange(f"{service}.replays", type="direct", durable=True, delivery_mode=2)


def handler_queue(source: str, event_type: str, service: str, method: str) -> Queue:
    """The queue of a service-pool handler, named as nameko names it, bound to the
    source's events and to its own service's replays."""
    name = f"evt-{source}-{event_type}--{service}.{method}"
    return Queue(
        name,
        bindings=[
            binding(events_exchange(source), routing_key=event_type),
            binding(replays_exchange(service), routing_key=name),
        ],
        durable=True,
        auto_delete=False,
        exclusive=False,
    )


# Every event type is one word (chassis/contract.py), so '*' takes each of a
# service's events, as '#' does; the webhook service drops this binding of its
# fan-in's once it has bound the queue by its endpoints' own (by '#' or by type).
EVERY_TYPE = "*"


def every_event_queue(sources: list[str], service: str, method: str) -> Queue:
    """The one queue of a handler of every event of `sources` (the webhook service's
    fan-in), bound by EVERY_TYPE to each source's events and to its service's replays."""
    name = f"evt-all--{service}.{method}"
    bindings = [binding(events_exchange(s), routing_key=EVERY_TYPE) for s in sources]
    bindings.append(binding(replays_exchange(service), routing_key=name))
    return Queue(name, bindings=bindings, durable=True, auto_delete=False, exclusive=False)


def came_through(message) -> str:
    """The exchange a delivered message came through ("" for the default one)."""
    return message.delivery_info.get("exchange") or ""


def integrator_permissions(name: str) -> dict[str, str]:
    """An integrator's broker user (pustaka/integrators.py) only reads its own queues,
    which the operator declares and binds for it: with no configure or write right it
    can declare nothing (no queue, no exchange of its own) and publish nowhere."""
    own = re.escape(integrator_queues(name)) + ".+"
    return {"configure": "^$", "write": "^$", "read": f"^{own}$"}


def part_permissions(part: str) -> dict[str, str]:
    """What a part's own broker user may do: RabbitMQ's configure (declare), write
    (publish; bind, on the queue) and read (consume; bind, on the exchange) expressions
    over resource names in its virtual host.

    It publishes only to its own events, its own dead letters (an exchange and a queue
    of one name) and the RPC exchange (which carries requests and replies alike); it
    declares, binds and reads only queues of its own; it reads any `<source>.events`
    (handlers and the gateway's caches bind to them, declaring them as they bind, hence
    configure on them too: the declaration of an exchange that exists changes nothing).
    """
    p = re.escape(part)
    own_queues = rf"rpc-{p}|evt-.+--{p}\..+|rpc\.reply-{p}-.+|{p}\.dead-letters"
    events = r"[a-z][a-z0-9_]*\.events"
    return {
        "configure": rf"^({own_queues}|nameko-rpc|{events}|{p}\.replays)$",
        "write": rf"^({own_queues}|nameko-rpc|{p}\.events)$",
        "read": rf"^({own_queues}|nameko-rpc|{events}|{p}\.replays)$",
    }


RPC_EXCHANGE = "nameko-rpc"  # nameko's default, which the platform keeps


def rpc_topic_permissions(part: str, contracts) -> dict[str, str]:
    """What `part` may publish and bind on the RPC exchange, by routing key (RabbitMQ's
    topic authorisation): the calls its callers' table gives it and the replies to
    the parts that may call it; its own requests (`<part>.*`, nameko's binding) and
    its own replies. Without these, any part could call anything, read every request
    by binding '#', or answer in another's place."""
    calls = calls_of(contracts, part)
    requests = [rf"{re.escape(s)}\.({'|'.join(map(re.escape, m))})" for s, m in calls.items()]
    repliers = callers_of(contracts, part)
    if repliers:
        requests.append(rf"reply\.({'|'.join(map(re.escape, repliers))})\.[0-9a-f]+")
    p = re.escape(part)
    return {
        "exchange": RPC_EXCHANGE,
        "write": f"^({'|'.join(requests)})$" if requests else "^$",
        "read": rf"^({p}\.\*|reply\.{p}\.[0-9a-f]+)$",
    }
