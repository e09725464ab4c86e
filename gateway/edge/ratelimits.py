"""The gateway's rate limits: one mechanism for every limit it keeps (a key's, an
address's traffic to public routes, an address's failed attempts at a key), the
`limits` library's moving window: at most N requests in any window of its length,
counted for one bucket and one name ("key", client id; "public", address).

Where the counts live is GATEWAY_LIMITS_STORAGE: `memory://` holds for one process
only (N gateway processes would each allow the whole limit); `redis://host:port/db`
is shared by every gateway process, so a limit holds across all of them. Keys in
Redis start with the platform's broker vhost, so two platforms may share one Redis.

When the shared store does not answer, each process counts in its own memory until
it does again (tried every RETRY_SECONDS), and says so in its log: the limits then
hold per process, at worst N times looser with N processes. Not closed (a 503 for
every request): the store keeps counts, nothing else, and its outage must not stop
the door's check-ins and the public pages. Not wide open either: a flood is still
limited by each process."""

from __future__ import annotations

import logging
import time
from fractions import Fraction
from functools import lru_cache
from urllib.parse import urlparse

from limits import RateLimitItem, RateLimitItemPerSecond
from limits.errors import StorageError
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from .errors import RateLimited

log = logging.getLogger(__name__)

RETRY_SECONDS = 5.0  # how long a process counts alone before it tries the store again
WARN_SECONDS = 60.0  # at most one warning a minute while the store is away
# A request waits this long at most for the shared store: a dead host costs one
# request its connect timeout once per RETRY_SECONDS, never every request its own.
REDIS_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
# How often the memory store drops the entries that left their windows, and forgets
# the names with none left (_LocalStore).
FORGET_SECONDS = 5.0


@lru_cache(maxsize=256)
def window(per_second: float) -> RateLimitItem:
    """`per_second` as a whole number of requests in a whole number of seconds, the
    form the library counts in: 20 -> 20 in 1 s, 2.5 -> 5 in 2 s, 0.2 -> 1 in 5 s."""
    share = Fraction(per_second).limit_denominator(60)
    if share <= 0:
        raise ValueError(f"a rate limit of {per_second!r} a second allows nothing")
    return RateLimitItemPerSecond(share.numerator, share.denominator)


def refusal(per_second: float, whose: str) -> RateLimited:
    """The 429: its Retry-After is the window's length, by when a place is free."""
    seconds = window(per_second).get_expiry()
    refused = RateLimited(
        f"More than {per_second:g} requests a second {whose}.",
        {"limit": per_second, "window_seconds": seconds},
    )
    refused.retry_after = seconds
    return refused


class _LocalStore(MemoryStorage):
    """The library's memory store, but its expired entries dropped in the counting
    call once every FORGET_SECONDS, not by a timer thread it starts again every 10 ms
    (under eventlet a green thread each time: an eighth of the gateway's time went
    there in a flood of refusals), and the names with no entry left forgotten (the
    library keeps an empty list for every name it has seen, which a flood of
    addresses grows). No I/O: no other green thread runs meanwhile."""

    def __init__(self):
        super().__init__()
        self.timer.cancel()  # the one its constructor starts
        self._forget_at = time.time() + FORGET_SECONDS

    def _MemoryStorage__schedule_expiry(self) -> None:  # the library's, as Python names it
        now = time.time()
        if now < self._forget_at:
            return
        self._forget_at = now + FORGET_SECONDS
        self._MemoryStorage__expire_events()
        for name in [name for name, entries in self.events.items() if not entries]:
            del self.events[name]


def _prefix(namespace: str) -> str:
    return f"pustaka{namespace}" if namespace.startswith("/") else f"pustaka/{namespace}"


class Limiter:
    """Counts requests against limits, in GATEWAY_LIMITS_STORAGE (`storage`), with
    this process's memory standing in while a shared store does not answer."""

    def __init__(self, storage: str, namespace: str = "/"):
        self.storage = storage
        self.local = _LocalStore()
        self.shared: Storage | None = None
        if urlparse(storage).scheme != "memory":
            self.shared = storage_from_string(
                storage, key_prefix=_prefix(namespace), wrap_exceptions=True, **REDIS_OPTIONS
            )
        self._moving_local = MovingWindowRateLimiter(self.local)
        self._moving_shared = self.shared and MovingWindowRateLimiter(self.shared)
        self._shared_again_at = 0.0  # while in the future: counting alone
        self._warned_at = -WARN_SECONDS

    @property
    def alone(self) -> bool:
        """Whether this process counts in its own memory (no shared store, or it is away)."""
        return self.shared is None or time.monotonic() < self._shared_again_at

    def hit(self, bucket: str, name: str, per_second: float) -> bool:
        """Count one request of `name` in `bucket`: whether it is within the limit."""
        item = window(per_second)
        if not self.alone:
            try:
                return self._moving_shared.hit(item, bucket, name)
            except StorageError as exc:
                self._away(exc)
        return self._moving_local.hit(item, bucket, name)

    def take(self, bucket: str, name: str, per_second: float, whose: str) -> None:
        """One request of `name` in `bucket`, or a 429 once it is over `per_second`
        (0: no limit)."""
        if per_second and not self.hit(bucket, name, per_second):
            raise refusal(per_second, whose)

    def close(self) -> None:
        if self.shared is not None:
            self.shared.storage.close()

    def _away(self, exc: Exception) -> None:
        now = time.monotonic()
        self._shared_again_at = now + RETRY_SECONDS
        if now - self._warned_at >= WARN_SECONDS:
            self._warned_at = now
            log.warning(
                "rate limits: the shared store %s does not answer (%s); this process "
                "counts alone, trying it again every %g s",
                _without_password(self.storage),
                exc,
                RETRY_SECONDS,
            )


def _without_password(url: str) -> str:
    parsed = urlparse(url)
    if parsed.password is None:
        return url
    return parsed._replace(netloc=parsed.netloc.replace(f":{parsed.password}@", ":***@")).geturl()
