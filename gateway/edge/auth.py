"""Authenticating requests: the bearer key → the caller, with a per-client rate
limit, and limits per client address (the one behind a trusted proxy: proxies.py)
for the traffic of public routes and, apart from it, for failed attempts: a flood
of bad keys from an address is answered 429 but never spends what a valid key
from the same address may do, which has its own limit only (ratelimits.py keeps
all three, shared by every gateway process where GATEWAY_LIMITS_STORAGE says so).
Verified keys are remembered briefly so a request costs no database read, and keys
refused are remembered too, so the same bad key sent again costs none either; a
key revoked is forgotten at once by every gateway process (`forgets_revoked_keys`).
A page (page=True) takes the sign-in cookie instead (signin.py), checked with the
same limits; its session is read each time (gateway/sessions.py).

Keyless requests are also bounded in number at once (GATEWAY_KEYLESS_IN_FLIGHT,
below the process's max_workers): however many addresses send them, the workers
left over are the keys', so a keyed request never queues behind the public's. One
more waits for a place a moment (a burst of the public's is served, not refused),
then is a 503 BUSY.

A keyless flood is slowed, not only refused: past FLOOD_REFUSALS refusals a second
from one address, each refusal is answered only once its Retry-After has passed.
A client on a kept connection waits so anyway (http.py HOLD: its connection is not
read again before then); one that opens a new connection for every request did not,
and its refusals alone, answered at once, took most of the process from the keyed
clients (docs/benchmarks.md, the public catalogue). At most MAX_HELD are held at
once in a process; past that, refused at once."""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn
from urllib.parse import urlparse

import eventlet
from eventlet.semaphore import Semaphore
from nameko.constants import DEFAULT_MAX_WORKERS, MAX_WORKERS_CONFIG_KEY
from nameko.events import BROADCAST
from nameko.extensions import DependencyProvider, SharedExtension
from sqlalchemy import text

from chassis.config import database_url, pool_size
from chassis.context import Caller
from chassis.db import make_engine, session_factories

from ..keys import REVOKED_EVENT, REVOKED_SOURCE, BadKey, verify_key
from ..sessions import close_session, open_session, verify_session
from .cache import OwnersEvents
from .errors import Busy, Forbidden, RateLimited, Unauthenticated
from .ratelimits import Limiter
from .signin import SIGNED_IN, session_token

KEY_CACHE_SECONDS = 10.0
# Bad keys and sessions remembered (by their SHA-256), the least recent going first.
# None can become valid: keys and session tokens are random, and a revoked key or an
# ended session stays so.
REFUSED_KEPT = 10_000
# The limits' buckets: a key's requests, an address's to public routes, an address's
# failed attempts at a key or a session.
KEY, PUBLIC, FAILED = "key", "public", "failed"
FLOODING = "flooding"  # an address's refusals for its public rate
FLOOD_REFUSALS = 50  # a second: a person, or a loop in a test, never comes near
MAX_HELD = 256
WITHOUT_KEY = "from one address without a valid key"
# How long a keyless request waits for a place among those served at once: a burst
# is queued this long (waiting costs no worker), a flood is refused after it.
KEYLESS_WAIT_SECONDS = 1.0


class KeyStore(SharedExtension):
    def setup(self) -> None:
        config = self.container.config
        self.engine = make_engine(database_url(config, "gateway"), pool_size(config))
        self.write, self.read = session_factories(self.engine)
        self._known: dict[str, tuple[float, Caller, int]] = {}
        self._refused: OrderedDict[bytes, None] = OrderedDict()
        self.address_rate = float(config["GATEWAY_ANONYMOUS_RATE_LIMIT"])
        self.keyless_bound = int(config["GATEWAY_KEYLESS_IN_FLIGHT"])
        workers = int(config.get(MAX_WORKERS_CONFIG_KEY, DEFAULT_MAX_WORKERS))
        if not 0 < self.keyless_bound < workers:
            raise ValueError(
                f"GATEWAY_KEYLESS_IN_FLIGHT is {self.keyless_bound}: it must be at least 1 "
                f"and below max_workers ({workers}), leaving workers for keyed requests"
            )
        self._keyless_places = Semaphore(self.keyless_bound)
        self._held = 0  # refusals held now
        vhost = urlparse(config["AMQP_URI"]).path or "/"
        self.limits = Limiter(config["GATEWAY_LIMITS_STORAGE"], namespace=vhost)

    def stop(self) -> None:
        self.engine.dispose()
        self.limits.close()

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

    @contextmanager
    def keyless(self, address: str) -> Iterator[None]:
        """Serving a request to a public route from `address`: a 429 at once when
        the address is over its rate; else one of GATEWAY_KEYLESS_IN_FLIGHT places,
        waited for at most KEYLESS_WAIT_SECONDS, or a 503 BUSY."""
        try:
            self.limits.take(PUBLIC, address, self.address_rate, WITHOUT_KEY)
        except RateLimited as refused:
            if not self.limits.hit(FLOODING, address, FLOOD_REFUSALS):
                self._hold(refused.retry_after)
            raise
        if not self._keyless_places.acquire(timeout=KEYLESS_WAIT_SECONDS):
            raise Busy(
                f"More than {self.keyless_bound} requests without a key at once here.",
                {"limit": self.keyless_bound},
            )
        try:
            yield
        finally:
            self._keyless_places.release()

    def _hold(self, seconds: float) -> None:
        """A flood's refusal waits `seconds` before it is answered, unless MAX_HELD
        already do (each holds a connection and a green thread)."""
        if self._held >= MAX_HELD:
            return
        self._held += 1
        try:
            eventlet.sleep(seconds)
        finally:
            self._held -= 1

    def _refuse(self, address: str) -> NoReturn:
        """A failed attempt from `address`: a 401, or a 429 once the address is over
        its limit for failed attempts (which no valid key's request counts in)."""
        self.limits.take(FAILED, address, self.address_rate, WITHOUT_KEY)
        raise Unauthenticated(str(BadKey()))

    def _checked(self, verify, credential: str, address: str) -> tuple[Caller, int]:
        """verify(session, credential), or a failed attempt from the address. A
        credential refused before is refused again without a database read."""
        digest = hashlib.sha256(credential.encode("utf-8", "surrogateescape")).digest()
        if digest in self._refused:
            self._refused.move_to_end(digest)
            self._refuse(address)
        try:
            with self.read() as session:
                return verify(session, credential)
        except BadKey:
            self._refused[digest] = None
            if len(self._refused) > REFUSED_KEPT:
                self._refused.popitem(last=False)
            self._refuse(address)

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
        page opened without the header is signed in by its cookie, if it has one.
        A valid key is counted against its own limit only, never its address's."""
        address = request.remote_addr or ""
        header = request.headers.get("Authorization", "")
        scheme, _, key = header.partition(" ")
        if page and not header and session_token(request):
            caller, rate = self.signed_in(request)
        elif scheme.lower() != "bearer" or not key.strip():
            self._refuse(address)
        else:
            caller, rate = self._verify(key.strip(), address)
        self.limits.take(KEY, caller.client_id, rate, "for this key")
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
