"""What every service class shares: its health check, and the caller of a call."""

from __future__ import annotations

from nameko.extensions import DependencyProvider
from nameko.rpc import rpc as nameko_rpc
from sqlalchemy import text

from .context import Caller
from .errors import DomainError


def rpc(fn):
    """nameko's @rpc, with our domain errors declared as expected: a caller's
    mistake is answered as a typed error, not logged as a failure of ours."""
    return nameko_rpc(expected_exceptions=DomainError)(fn)


class CallerProvider(DependencyProvider):
    """`self.caller` in an entrypoint: who made the call, from nameko context data."""

    def get_dependency(self, worker_ctx) -> Caller:
        return Caller.from_context(worker_ctx.context_data)


class ServiceBase:
    """Base of each nameko service class; expects `db` (a chassis Database)."""

    caller = CallerProvider()

    @rpc
    def health(self) -> dict:
        with self.db.reading() as session:
            session.execute(text("SELECT 1"))
        return {"service": self.name, "ok": True}
