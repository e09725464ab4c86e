"""`pustaka events tail`: the live stream of the platform's events, one line each, for
an operator watching what happens. A queue of its own (exclusive: gone when the
command stops), bound to the services' event exchanges; nothing is acknowledged, so
no other consumer is affected."""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Callable
from typing import TextIO

from kombu import Connection, Consumer, Queue, binding

from .queues import events_exchange

LINE = 160  # characters of a line, the event's data cut to fit


def line(envelope: dict) -> str:
    """`time  type  subject  id  data`, the data as compact JSON cut to the line."""
    head = (
        "  ".join(str(envelope.get(k, "-")) for k in ("time", "type", "subject"))
        + f"  {str(envelope.get('id', '-'))[:8]}  "
    )
    data = json.dumps(envelope.get("data"), ensure_ascii=False, separators=(",", ":"))
    room = max(LINE - len(head), 20)
    return head + (data if len(data) <= room else data[: room - 1] + "…")


def tail(
    amqp_uri: str,
    services: list[str],
    event_type: str | None = None,
    count: int | None = None,
    out: TextIO = sys.stdout,
    ready: Callable[[], None] = lambda: None,
) -> int:
    """Print each event of `services` (of `event_type` only, if given) as it comes,
    until `count` have come or the operator stops it; return how many came."""
    seen = 0

    def on_message(body, message) -> None:
        nonlocal seen
        envelope = body if isinstance(body, dict) else json.loads(body)
        print(line(envelope), file=out, flush=True)
        seen += 1

    with Connection(amqp_uri, connect_timeout=5) as conn:
        channel = conn.channel()
        exchanges = [events_exchange(service)(channel) for service in services]
        for exchange in exchanges:
            exchange.declare()  # as every service declares it: none may exist yet
        queue = Queue(
            f"tail-{uuid.uuid4().hex[:12]}",
            bindings=[binding(e, routing_key=event_type or "#") for e in exchanges],
            exclusive=True,
            auto_delete=True,
            durable=False,
        )
        with Consumer(channel, [queue], callbacks=[on_message], no_ack=True, accept=["json"]):
            ready()
            while count is None or seen < count:
                try:
                    conn.drain_events(timeout=1)
                except TimeoutError:
                    continue
    return seen
