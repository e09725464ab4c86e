"""`PartCalls`: a part calling another part's RPC methods, for work it does by itself
(a read model rebuilt from its owners' current state), not to answer a request.

A call is sent as the part's own broker user (which the broker vouches for in the
message's `user_id`: trust.py), so the called part acts for it as a service, and
the broker lets it through only where the callee's contract names it among the
method's callers. Its reply comes to a queue of the caller's own, bound with the
caller's reply key; it waits at most its deadline. Requests and replies travel as
the gateway's do (rpc_messages.py): transient.
"""

from __future__ import annotations

import json
import time
import uuid

import amqp
from kombu import Connection
from nameko.exceptions import deserialize
from nameko.extensions import DependencyProvider

from chassis.config import broker_nodes
from chassis.context import SYSTEM
from chassis.errors import DomainError
from chassis.trust import reply_key, user_of

from . import errors as _typed_errors  # noqa: F401 (a callee's typed error is raised here)

RPC_EXCHANGE = "nameko-rpc"


class CallFailed(DomainError):
    """The called part did not answer in time."""

    code = "UNAVAILABLE"


class Caller:
    """Calls from one part, over one connection opened per batch of calls."""

    def __init__(self, amqp_uri: str, part: str, user: str, deadline: float):
        self.amqp_uri, self.part, self.user, self.deadline = amqp_uri, part, user, deadline

    def __enter__(self) -> Caller:
        self.connection = Connection(broker_nodes(self.amqp_uri))
        self.connection.connect()
        self.channel = self.connection.channel()
        self.token = uuid.uuid4().hex
        self.queue = f"rpc.reply-{self.part}-{self.token}"
        self.channel.queue_declare(self.queue, exclusive=True, auto_delete=True)
        self.channel.queue_bind(self.queue, RPC_EXCHANGE, reply_key(self.part, self.token))
        self.replies: dict[str, dict] = {}
        self.channel.basic_consume(self.queue, callback=self._reply, no_ack=True)
        return self

    def __exit__(self, *exc) -> None:
        self.connection.release()

    def _reply(self, message) -> None:
        self.replies[message.properties.get("correlation_id")] = json.loads(message.body)

    def __call__(self, service: str, method: str, *args):
        """`service.method(*args)`'s result, or its typed error raised here."""
        correlation = uuid.uuid4().hex
        request = amqp.Message(
            json.dumps({"args": list(args), "kwargs": {}}),
            content_type="application/json",
            application_headers={"nameko.caller": SYSTEM.as_context()},
            reply_to=reply_key(self.part, self.token),
            correlation_id=correlation,
            user_id=self.user,
            expiration=str(int(self.deadline * 1000)),
        )
        self.channel.basic_publish(request, RPC_EXCHANGE, f"{service}.{method}")
        until = time.monotonic() + self.deadline
        while correlation not in self.replies:
            left = until - time.monotonic()
            if left <= 0:
                raise CallFailed(f"{service}.{method} did not answer within {self.deadline} s.")
            try:
                self.connection.drain_events(timeout=min(left, 1.0))
            except TimeoutError:
                continue
        body = self.replies.pop(correlation)
        if body.get("error"):
            raise deserialize(body["error"])
        return body["result"]


class PartCalls(DependencyProvider):
    """Declare as `calls = PartCalls()`; then `with self.calls() as call:
    call("catalog", "list_branches")`."""

    def __init__(self, deadline: float = 30.0):
        self.deadline = deadline

    def setup(self) -> None:
        config = self.container.config
        self.amqp_uri = config["AMQP_URI"]
        self.part = self.container.service_name
        self.user = user_of(config, self.part)

    def get_dependency(self, worker_ctx):
        return self.open

    def open(self) -> Caller:
        return Caller(self.amqp_uri, self.part, self.user, self.deadline)
