"""Authenticating requests: the bearer key → the caller, with a per-client rate
limit. Verified keys are remembered briefly so a request costs no database read."""

from __future__ import annotations

import time

from nameko.extensions import DependencyProvider, SharedExtension
from sqlalchemy import text

from services.chassis.config import database_url
from services.chassis.context import Caller
from services.chassis.db import make_engine, session_factories

from ..keys import BadKey, verify_key
from .errors import Forbidden, RateLimited, Unauthenticated

KEY_CACHE_SECONDS = 10.0


class TokenBucket:
    def __init__(self, rate: float):
        self.rate = rate
        self.capacity = 2 * rate
        self.tokens = self.capacity
        self.stamp = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class KeyStore(SharedExtension):
    def setup(self) -> None:
        self.engine = make_engine(database_url(self.container.config, "gateway"))
        _, self.read = session_factories(self.engine)
        self._known: dict[str, tuple[float, Caller, int]] = {}
        self._buckets: dict[str, TokenBucket] = {}

    def stop(self) -> None:
        self.engine.dispose()

    def answers(self) -> bool:
        """Whether the key store can be read (the gateway's readiness)."""
        try:
            with self.read() as session:
                session.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    def _verify(self, key: str) -> tuple[Caller, int]:
        hit = self._known.get(key)
        if hit and hit[0] > time.monotonic():
            return hit[1], hit[2]
        try:
            with self.read() as session:
                caller, rate = verify_key(session, key)
        except BadKey as exc:
            raise Unauthenticated(str(exc)) from exc
        self._known[key] = (time.monotonic() + KEY_CACHE_SECONDS, caller, rate)
        return caller, rate

    def authenticate(self, request, roles: tuple[str, ...]) -> Caller:
        header = request.headers.get("Authorization", "")
        scheme, _, key = header.partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise Unauthenticated("Send your API key as 'Authorization: Bearer <key>'.")
        caller, rate = self._verify(key.strip())
        if rate:
            bucket = self._buckets.get(caller.client_id)
            if bucket is None or bucket.rate != rate:
                bucket = self._buckets[caller.client_id] = TokenBucket(rate)
            if not bucket.take():
                raise RateLimited(f"More than {rate} requests a second.", {"limit": rate})
        if roles and caller.role not in roles and caller.role != "admin":
            raise Forbidden(
                f"A {caller.role} key may not call this.",
                {"role": caller.role, "allowed": list(roles)},
            )
        return caller


class KeyStoreAccess(DependencyProvider):
    """`self.keys` in a route: the same key store the routes authenticate with."""

    store = KeyStore()

    def get_dependency(self, worker_ctx) -> KeyStore:
        return self.store
