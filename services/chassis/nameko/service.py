"""What every service class shares: the outbox relay, its health check, the caller
of a call, and the `rpc` entrypoint with the chassis' rules built in."""

from __future__ import annotations

import functools
import inspect
import logging

from nameko.constants import (
    AMQP_SSL_CONFIG_KEY,
    AMQP_URI_CONFIG_KEY,
    DEFAULT_SERIALIZER,
    LOGIN_METHOD_CONFIG_KEY,
    SERIALIZER_CONFIG_KEY,
)
from nameko.dependency_providers import Config
from nameko.extensions import DependencyProvider
from nameko.rpc import Rpc, get_rpc_exchange
from sqlalchemy import text

from services.chassis.context import KEY as CALLER_KEY
from services.chassis.context import Caller
from services.chassis.errors import DomainError, Forbidden

from .errors import registered
from .relay import OutboxRelay
from .rpc_messages import Replier

log = logging.getLogger(__name__)


class ServiceRpc(Rpc):
    """nameko's rpc entrypoint, with four changes. A call without a caller is
    refused. A domain error leaves as a class the caller knows (see errors.py). The
    reply travels as rpc_messages.py says (transient, unconfirmed). A reply that
    cannot be published (the broker went away) fails that call, not the process:
    nameko would kill the container. The request, never acknowledged, is delivered
    again once the broker is back."""

    def handle_message(self, body, message):
        # A call names who makes it, or it is refused: taken as the platform's own, it
        # would give anyone who can publish a request the rights of the system.
        if not self.unpack_message_headers(message).get(CALLER_KEY):
            raise Forbidden("This call names no caller: every call must say who makes it.")
        super().handle_message(body, message)

    def handle_result(self, message, worker_ctx, result, exc_info):
        if exc_info is not None and (known := registered(exc_info[1])) is not exc_info[1]:
            exc_info = (type(known), known, exc_info[2])
        try:
            result, exc_info = self._replier(message).send_response(result, exc_info)
            self.rpc_consumer.queue_consumer.ack_message(message)
            return result, exc_info
        except Exception:
            log.warning(
                "could not reply to %s.%s; it will be delivered again",
                worker_ctx.service_name,
                worker_ctx.entrypoint.method_name,
                exc_info=True,
            )
            return result, exc_info

    def _replier(self, message) -> Replier:
        config = self.container.config
        return Replier(
            config[AMQP_URI_CONFIG_KEY],
            get_rpc_exchange(config),
            config.get(SERIALIZER_CONFIG_KEY, DEFAULT_SERIALIZER),
            message,
            ssl=config.get(AMQP_SSL_CONFIG_KEY),
            login_method=config.get(LOGIN_METHOD_CONFIG_KEY),
        )


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


def write(fn):
    """An entrypoint that changes state: `fn(self, session, *args)` runs in one
    transaction, once per request id (a request delivered again is answered, not
    done again: DatabaseSession.write_once)."""

    def once(self, fn, args, kwargs):
        return self.db.write_once(
            fn.__name__, [args, kwargs], lambda session: fn(self, session, *args, **kwargs)
        )

    return _with_session(fn, once)


def read(fn):
    """An entrypoint that only reads: `fn(self, session, *args)` in a read-only
    transaction (a write there is an error)."""

    def reading(self, fn, args, kwargs):
        with self.db.reading() as session:
            return fn(self, session, *args, **kwargs)

    return _with_session(fn, reading)


class CallerProvider(DependencyProvider):
    """`self.caller` in an entrypoint: who made the call, from nameko context data."""

    def get_dependency(self, worker_ctx) -> Caller:
        return Caller.from_context(worker_ctx.context_data)


class ServiceBase:
    """Base of each service class, which declares `name` and `db = Database(Base)`.
    It brings the outbox relay (so events committed are always published), the
    caller of each call, the configuration (`self.config`) and the health check."""

    caller = CallerProvider()
    config = Config()
    relay = OutboxRelay()
    config = Config()

    @read
    def health(self, session) -> dict:
        session.execute(text("SELECT 1"))
        return {"service": self.name, "ok": True}
