"""Authenticating requests: the bearer key → the caller, with a per-client rate
limit, and a limit per client address for traffic without a valid key (public
routes, and failed attempts: a flood of bad keys costs no database reads past it).
Verified keys are remembered briefly so a request costs no database read; a key
revoked is forgotten at once by every gateway process (`forgets_revoked_keys`).
A page (page=True) takes the sign-in cookie instead (signin.py), checked with the
same limits; its session is read each time (gateway/sessions.py)."""

from __future__ import annotations

import time
from collections import OrderedDict

from nameko.events import BROADCAST
from nameko.extensions import DependencyProvider, SharedExtension
from sqlalchemy import text

from services.chassis.config import database_url
from services.chassis.context import Caller
from services.chassis.db import make_engine, session_factories

from ..keys import REVOKED_EVENT, REVOKED_SOURCE, BadKey, verify_key
from ..sessions import close_session, open_session, verify_session
from .cache import OwnersEvents
from .errors import Forbidden, RateLimited, Unauthenticated
from .signin import SIGNED_IN, session_token

KEY_CACHE_SECONDS = 10.0
ADDRESSES_KEPT = 10_000  # client addresses with a bucket; the least recent go first


class TokenBucket:
    def __init__(self, rate: float):
        self.rate = rate
        self.capacity = 2 * rate
        self.tokens = self.capacity
        self.stamp = time.monotonic()

    def take(self) -> bool:
        if self.available():
            self.tokens -= 1
            return True
        return False

    def available(self) -> bool:
        """Whether a request may be taken now (refilled for the time gone by)."""
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        return self.tokens >= 1


class AddressLimit:
    """A token bucket per client address, for traffic without a valid key."""

    def __init__(self, rate: float):
        self.rate = rate
        self._buckets: OrderedDict[str, TokenBucket] = OrderedDict()

    def bucket(self, address: str) -> TokenBucket:
        bucket = self._buckets.pop(address, None) or TokenBucket(self.rate)
        self._buckets[address] = bucket  # most recent last
        if len(self._buckets) > ADDRESSES_KEPT:
            self._buckets.popitem(last=False)
        return bucket

    def take(self, address: str) -> None:
        """One request from `address`, or a 429 once it is over the limit."""
        if self.rate and not self.bucket(address).take():
            raise _over(self.rate, "from one address without a valid key")

    def exhausted(self, address: str) -> bool:
        return bool(self.rate) and not self.bucket(address).available()


def _over(rate: float, whose: str) -> RateLimited:
    return RateLimited(f"More than {rate:g} requests a second {whose}.", {"limit": rate})


class KeyStore(SharedExtension):
    def setup(self) -> None:
        self.engine = make_engine(database_url(self.container.config, "gateway"))
        self.write, self.read = session_factories(self.engine)
        self._known: dict[str, tuple[float, Caller, int]] = {}
        self._buckets: dict[str, TokenBucket] = {}
        rate = float(self.container.config["GATEWAY_ANONYMOUS_RATE_LIMIT"])
        # Two buckets per address: public routes, and attempts without a valid key
        # (a flood of bad keys then stops before the key store, but a page that the
        # public opens does not spend what a client with a key may need to sign in).
        self.public, self.failures = AddressLimit(rate), AddressLimit(rate)

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

    def forget(self, key_id: str) -> None:
        """Stop trusting a key this process verified (it was revoked)."""
        for key, (_, caller, _) in list(self._known.items()):
            if caller.client_id == key_id:
                del self._known[key]

    def _checked(self, verify, credential: str, address: str) -> tuple[Caller, int]:
        """verify(session, credential), or a 401 counted against the address."""
        if self.failures.exhausted(address):  # refused before any database read
            raise _over(self.failures.rate, "from one address without a valid key")
        try:
            with self.read() as session:
                return verify(session, credential)
        except BadKey as exc:
            self.failures.take(address)
            raise Unauthenticated(str(exc)) from exc

    def _verify(self, key: str, address: str) -> tuple[Caller, int]:
        hit = self._known.get(key)
        if hit and hit[0] > time.monotonic():
            return hit[1], hit[2]
        caller, rate = self._checked(verify_key, key, address)
        self._known[key] = (time.monotonic() + KEY_CACHE_SECONDS, caller, rate)
        return caller, rate

    def signed_in(self, request) -> tuple[Caller, int]:
        """The caller of a page's sign-in cookie (a 401 if it has none that is valid);
        the request is marked signed in by it (SIGNED_IN)."""
        token = session_token(request)
        found = self._checked(verify_session, token, request.remote_addr or "")
        request.environ[SIGNED_IN] = token
        return found

    def sign_in(self, key: str, address: str) -> tuple[Caller, str]:
        """A page session for a key typed on the sign-in form: the caller and the
        session's token; a wrong key counts against the address as a bad header does."""
        caller, _ = self._verify(key.strip(), address)
        with self.write() as session, session.begin():
            return caller, open_session(session, caller.client_id)

    def sign_out(self, token: str) -> None:
        with self.write() as session, session.begin():
            close_session(session, token)

    def authenticate(self, request, roles: tuple[str, ...], page: bool = False) -> Caller:
        """The caller of a request, from its bearer key: the only place a key is
        read (never a query parameter or a cookie, which logs and caches keep). A
        page opened without the header is signed in by its cookie, if it has one."""
        header = request.headers.get("Authorization", "")
        scheme, _, key = header.partition(" ")
        if page and not header and session_token(request):
            caller, rate = self.signed_in(request)
        elif scheme.lower() != "bearer" or not key.strip():
            self.failures.take(request.remote_addr or "")
            raise Unauthenticated(str(BadKey()))
        else:
            caller, rate = self._verify(key.strip(), request.remote_addr or "")
        if rate:
            bucket = self._buckets.get(caller.client_id)
            if bucket is None or bucket.rate != rate:
                bucket = self._buckets[caller.client_id] = TokenBucket(rate)
            if not bucket.take():
                raise _over(rate, "for this key")
        if roles and caller.role not in roles and caller.role != "admin":
            raise Forbidden(
                f"A {caller.role} key may not call this.",
                {"role": caller.role, "allowed": list(roles)},
            )
        return caller


def forgets_revoked_keys():
    """The handler method making this process forget a key the moment it is revoked,
    for a route module's class (every gateway process hears it: broadcast)."""

    @OwnersEvents.decorator(
        REVOKED_SOURCE, REVOKED_EVENT, handler_type=BROADCAST, reliable_delivery=False
    )
    def on_key_revoked(self, data: dict) -> None:
        self.keys.forget(data["key_id"])

    return on_key_revoked


class KeyStoreAccess(DependencyProvider):
    """`self.keys` in a route: the same key store the routes authenticate with."""

    store = KeyStore()

    def get_dependency(self, worker_ctx) -> KeyStore:
        return self.store
