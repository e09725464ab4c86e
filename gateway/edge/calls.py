"""Calling services with a deadline.

Every call carries the caller in nameko context data, is sent as the gateway's own
broker user (and its reply taken only from the called part's: trust.py), expires on
the broker when its deadline passes (so a late service never acts on a request its
client was told failed), and fails fast: 503 when no process of the service is
consuming its queue or the broker cannot be reached (the request reached no service,
so a client may simply retry), 504 when the service does not answer by the deadline.
While the broker is away, a call is refused at once, naming the broker, so no
worker of the gateway waits on it.
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import time
import uuid

import amqp
import eventlet
from eventlet.semaphore import Semaphore
from kombu import Connection
from nameko.amqp.publish import UndeliverableMessage
from nameko.extensions import DependencyProvider, SharedExtension
from nameko.messaging import HeaderEncoder
from nameko.rpc import RpcReply, get_rpc_exchange

from chassis.config import broker_nodes
from chassis.contract import Contract, Method

# Registers the chassis' error classes, so a service's typed error is re-raised here.
from chassis.nameko import errors as _typed_errors  # noqa: F401
from chassis.nameko.rpc_messages import request_publisher
from chassis.nameko.settle import BROKER_ERRORS
from chassis.trust import user_of

from .errors import DeadlineExceeded, ServiceUnavailable
from .replies import Replies

log = logging.getLogger(__name__)
PROBE_SECONDS = 1.0
LOOK_WAIT_SECONDS = 0.5  # at most, for another's look at the consumers to end


class ConsumerProbe(SharedExtension):
    """How many processes consume `rpc-<service>`, looked up at most once a second."""

    replies = Replies()  # the process's one (shared): its connection tells of the broker

    def setup(self) -> None:
        self.amqp_uri = self.container.config["AMQP_URI"]
        self._seen: dict[str, tuple[float, int]] = {}
        self._lock = Semaphore()
        self._conn: Connection | None = None

    def stop(self) -> None:
        if self._conn is not None:
            self._conn.release()

    def consumers(self, service: str) -> int:
        seen = self._seen.get(service)
        if seen and seen[0] > time.monotonic():
            return seen[1]
        # One look at a time on the probe's one channel: wait for the one under way (a
        # round trip) and then look. Not waiting, and answering the old count, starved
        # the services asked for last in a burst (/v1/status asks for all at once):
        # one that had no process at the gateway's start stayed "not running" while
        # the others' looks took every turn.
        if not self._lock.acquire(timeout=LOOK_WAIT_SECONDS):
            return seen[1] if seen else 1  # the broker is slow to answer: assume unchanged
        try:
            seen = self._seen.get(service)
            if seen and seen[0] > time.monotonic():  # looked at while this one waited
                return seen[1]
            count = self._look(service)
            self._seen[service] = (time.monotonic() + PROBE_SECONDS, count)
            return count
        finally:
            self._lock.release()

    def broker_answers(self) -> bool:
        """Whether the broker answers on the probe's own connection (the gateway's
        readiness): a channel opened and closed, not a connection per probe."""
        if self.lost():
            return False
        with self._lock:
            try:
                self._channel().close()
            except Exception:
                self._drop()
                return False
            return True

    def lost(self) -> bool:
        """Whether the broker is away, as the replies' consumer sees it (replies.py)."""
        return self.replies.broker_lost()

    def _channel(self):
        if self._conn is not None and not self._conn.connected:
            self._drop()
        if self._conn is None:
            conn = Connection(self.amqp_uri, connect_timeout=2)
            # Each of a cluster's nodes once, no waiting: the caller reports a failure.
            conn.ensure_connection(max_retries=len(broker_nodes(self.amqp_uri)) - 1)
            self._conn = conn
        return self._conn.channel()

    def _drop(self) -> None:
        """Forget a connection the broker no longer answers on; the next look makes one."""
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.release()
            self._conn = None

    def _look(self, service: str) -> int:
        """Consumers of the service's queue, 0 if there is no such queue; the
        broker's errors are the caller's to report."""
        try:
            channel = self._channel()
            try:
                _, _, consumers = channel.queue_declare(f"rpc-{service}", passive=True)
            finally:
                if channel.is_open:
                    channel.close()
            return consumers
        except amqp.exceptions.NotFound:
            return 0
        except BROKER_ERRORS:
            if self._conn is not None and not self._conn.connected:
                self._drop()
            raise


class Calls(HeaderEncoder):
    def __init__(self, worker_ctx, sender: ServiceCalls):
        self.worker_ctx = worker_ctx
        self.sender = sender  # its publishers, reply listener, probe and deadline

    def broker_answers(self) -> bool:
        return self.sender.probe.broker_answers()

    def processes(self, service: str) -> int:
        """How many processes of `service` consume its queue now."""
        return self.sender.probe.consumers(service)

    def __call__(
        self,
        service: str,
        method: str,
        *args,
        deadline: float | None = None,
        writes: bool = True,
    ):
        """Call `service.method(*args)`; `writes=False` for a method that only reads
        (its request travels unconfirmed: chassis/nameko/rpc_messages.py)."""
        deadline = deadline or self.sender.deadline
        correlation_id = str(uuid.uuid4())
        try:
            with eventlet.Timeout(deadline):
                return self._send(service, method, args, deadline, writes, correlation_id).result()
        except eventlet.Timeout as exc:
            raise DeadlineExceeded(
                f"The {service} service did not answer within {deadline:g}s.",
                {"service": service, "deadline_seconds": deadline},
            ) from exc
        finally:  # answered, or no longer waited for: a late reply is dropped
            self.sender.reply_listener.forget(correlation_id)

    def _send(
        self,
        service: str,
        method: str,
        args: tuple,
        deadline: float,
        writes: bool,
        correlation_id: str,
    ) -> RpcReply:
        """Publish the request, or ServiceUnavailable if no service can get it: none
        consumes its queue, or the broker cannot be reached or has not taken the
        request by the deadline."""
        try:
            if self.sender.probe.lost():
                raise _broker_away(service)
            if self.sender.probe.consumers(service) == 0:
                raise _not_running(service)
            replier = user_of(self.sender.config, service)
            reply = RpcReply(self.sender.reply_listener.get_reply_event(correlation_id, replier))
            self.sender.publishers[writes].publish(
                {"args": args, "kwargs": {}},
                exchange=self.sender.exchange,
                routing_key=f"{service}.{method}",
                reply_to=self.sender.reply_listener.routing_key,
                correlation_id=correlation_id,
                headers=self.get_message_headers(self.worker_ctx),
                expiration=deadline,
            )
            return reply
        except UndeliverableMessage as exc:  # a write no queue took (mandatory)
            raise _not_running(service) from exc
        except (eventlet.Timeout, *BROKER_ERRORS) as exc:
            log.warning("the broker did not take a call to %s: %r", service, exc)
            raise _broker_away(service) from exc


def _not_running(service: str) -> ServiceUnavailable:
    return ServiceUnavailable(f"The {service} service is not running.", {"service": service})


def _broker_away(service: str) -> ServiceUnavailable:
    return ServiceUnavailable(
        f"The message broker cannot be reached to call the {service} service.",
        {"service": service, "broker": "unreachable"},
    )


class ServiceCalls(DependencyProvider):
    """`self.call("catalog", "get_title", id)` in a gateway route."""

    reply_listener = Replies()
    probe = ConsumerProbe()

    def setup(self) -> None:
        self.config = config = self.container.config
        self.deadline = float(config["RPC_TIMEOUT_SECONDS"])
        self.exchange = get_rpc_exchange(config)
        uri, me = config["AMQP_URI"], user_of(config, self.container.service_name)
        self.publishers = {w: request_publisher(uri, w, me) for w in (False, True)}

    def get_dependency(self, worker_ctx) -> Calls:
        return Calls(worker_ctx, self)


class ServiceClient(ServiceCalls):
    """A service's client, made from its contract: `catalog = ServiceClient(CONTRACT)`
    in a route module, then `self.catalog.get_title(title_id)`. Only the methods the
    contract declares exist (any other name is an AttributeError, not a call that
    hangs), each with its own deadline where the contract gives one."""

    def __init__(self, contract: Contract, **kwargs):
        self.contract = contract
        super().__init__(**kwargs)

    def get_dependency(self, worker_ctx):
        return client_class(self.contract)(super().get_dependency(worker_ctx))


_clients: dict[str, type] = {}


def client_class(contract: Contract) -> type:
    """The client class of a contract: one method per RPC method it declares."""
    known = _clients.get(contract.service)
    if known is None or known.contract is not contract:
        methods = {m.name: _client_method(contract.service, m) for m in contract.methods}
        name = f"{contract.service.title()}Client"
        known = _clients[contract.service] = type(
            name, (_Client,), {"contract": contract, **methods}
        )
    return known


class _Client:
    contract: Contract

    def __init__(self, calls: Calls):
        self._calls = calls


def _client_method(service: str, method: Method):
    def call(self, *args):
        return self._calls(
            service, method.name, *args, deadline=method.deadline, writes=method.writes
        )

    call.__name__ = call.__qualname__ = method.name
    params = [inspect.Parameter(p, inspect.Parameter.POSITIONAL_ONLY) for p in method.params]
    self_param = inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY)
    call.__signature__ = inspect.Signature([self_param, *params])
    call.__doc__ = f"{service}.{method.name}({', '.join(method.params)})"
    return call
