"""What every service class shares: the outbox relay, its health check, the caller
of a call, and the `rpc` entrypoint with the chassis' rules built in."""

from __future__ import annotations

import functools
import inspect

from nameko.dependency_providers import Config
from nameko.extensions import DependencyProvider
from nameko.rpc import Rpc
from sqlalchemy import text

from chassis.context import KEY as CALLER_KEY
from chassis.context import Caller
from chassis.errors import DomainError, Forbidden
from chassis.trust import GATEWAY, USERS_KEY, user_of

from . import faults
from .errors import registered
from .intake import GuardedRpcConsumer
from .relay import OutboxRelay
from .watchdog import Watchdog


class ServiceRpc(Rpc):
    """nameko's rpc entrypoint, taking requests through GuardedRpcConsumer (only from
    parts that may call it: intake.py), with three changes. The end user's identity
    is taken only from the gateway: a call from another part acts as that part, and a
    call from the gateway that names no caller is refused. A domain error leaves as a
    class the caller knows (see errors.py). The reply travels as the consumer sends
    it, and a reply that cannot be sent fails that call, not the process."""

    rpc_consumer = GuardedRpcConsumer()

    def handle_message(self, body, message):
        # A call names who makes it, or it is refused: taken as the platform's own, it
        # would give anyone who can publish a request the rights of the system.
        if not self.unpack_message_headers(message).get(CALLER_KEY):
            raise Forbidden("This call names no caller: every call must say who makes it.")
        super().handle_message(body, message)

    def unpack_message_headers(self, message) -> dict:
        context = super().unpack_message_headers(message)
        config = self.container.config
        sender = message.properties.get("user_id")
        if sender != user_of(config, GATEWAY):
            part = _part_of(config, sender)
            context[CALLER_KEY] = Caller(client_id=f"part:{part}", role="service").as_context()
        return context

    def handle_result(self, message, worker_ctx, result, exc_info):
        if exc_info is not None and (known := registered(exc_info[1])) is not exc_info[1]:
            exc_info = (type(known), known, exc_info[2])
        return self.rpc_consumer.handle_result(message, result, exc_info)


def _part_of(config: dict, user: str) -> str:
    """The part a broker user is (the consumer let in only the parts' users)."""
    for part, known in (config.get(USERS_KEY) or {}).items():
        if known == user:
            return part
    return str(user)


def rpc(fn):
    """@rpc with our domain errors declared as expected: a caller's mistake is
    answered as a typed error, not logged as a failure of ours."""
    return ServiceRpc.decorator(expected_exceptions=DomainError)(fn)


def _with_session(fn, open_session):
    """An entrypoint that passes `fn` a session from `open_session(self, fn, args)`,
    whose signature (for nameko's argument check) is fn's without `session`."""

    @functools.wraps(fn)
    def entrypoint(self, *args, **kwargs):
        return open_session(self, fn, args, kwargs)

    signature = inspect.signature(fn)
    own = list(signature.parameters.values())
    entrypoint.__signature__ = signature.replace(parameters=[own[0], *own[2:]])
    del entrypoint.__wrapped__  # nameko must see the signature above, not fn's
    return rpc(entrypoint)


def write(fn=None, *, before=None):
    """An entrypoint that changes state: `fn(self, session, *args)` runs in one
    transaction, once per request id (a request delivered again is answered, not
    done again: DatabaseSession.write_once). `before(self, *args)`, if given, runs
    first, outside the transaction, and again on a repeat: for an idempotent call
    elsewhere that must not be made holding it (SQLite's write lock stops every
    other writer of the process, so green threads waiting on the network with it
    wait on each other)."""
    if fn is None:
        return functools.partial(write, before=before)

    def once(self, fn, args, kwargs):
        if before is not None:
            before(self, *args, **kwargs)
        answer = self.db.write_once(
            fn.__name__, [args, kwargs], lambda session: fn(self, session, *args, **kwargs)
        )
        faults.after_commit(self.config, self.name)  # the fault suite's, else nothing
        return answer

    return _with_session(fn, once)


def read(fn):
    """An entrypoint that only reads: `fn(self, session, *args)` in a read-only
    transaction (a write there is an error)."""

    def reading(self, fn, args, kwargs):
        return self.db.read(fn.__name__, lambda session: fn(self, session, *args, **kwargs))

    return _with_session(fn, reading)


def read_one(fn):
    """@read for a method whose read is one SELECT: `fn(self, reader, *args)`, where
    `reader.execute(statement, parameters)` runs it, once (DatabaseSession.read_one:
    on PostgreSQL one round trip, not three)."""

    def reading(self, fn, args, kwargs):
        return self.db.read_one(fn.__name__, lambda reader: fn(self, reader, *args, **kwargs))

    return _with_session(fn, reading)


class CallerProvider(DependencyProvider):
    """`self.caller` in an entrypoint: who made the call, from nameko context data."""

    def get_dependency(self, worker_ctx) -> Caller:
        return Caller.from_context(worker_ctx.context_data)


class ServiceBase:
    """Base of each service class, which declares `name` and `db = Database(Base)`.
    It brings the outbox relay (so events committed are always published), the
    caller of each call, the configuration (`self.config`), the health check and the
    watchdog that ends a stuck process (watchdog.py)."""

    caller = CallerProvider()
    config = Config()
    relay = OutboxRelay()
    watchdog = Watchdog()
    # (source, event type, method) of each event handler the service had and has no
    # more: `pustaka declare` removes its queue (declare.py), which would otherwise
    # keep its binding and fill with events nobody reads.
    retired_handlers: tuple[tuple[str, str, str], ...] = ()

    @read
    def health(self, session) -> dict:
        session.execute(text("SELECT 1"))
        return {"service": self.name, "ok": True}
