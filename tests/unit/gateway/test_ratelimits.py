"""The one mechanism of the gateway's limits (gateway/edge/ratelimits.py), in memory:
a moving window per bucket and name, rates in whole requests and seconds, and names
whose windows are over forgotten. The shared store is tested on a real Redis
(tests/domain/gateway/test_ratelimits_redis.py)."""

import time

import pytest
from limits.storage import memory

from gateway.edge import ratelimits
from gateway.edge.errors import RateLimited, error_response
from gateway.edge.ratelimits import Limiter, window


@pytest.fixture
def clock(monkeypatch):
    """The wall clock the library's memory store reads (and the limiter, forgetting
    with it), in our hands."""
    now = [1_000_000.0]

    class Clock:
        monotonic = staticmethod(time.monotonic)

        @staticmethod
        def time():
            return now[0]

    monkeypatch.setattr(memory, "time", Clock)
    monkeypatch.setattr(ratelimits, "time", Clock)
    return now


@pytest.mark.parametrize(
    "per_second, amount, seconds", [(20, 20, 1), (2.5, 5, 2), (0.2, 1, 5), (1000, 1000, 1)]
)
def test_a_rate_is_whole_requests_in_whole_seconds(per_second, amount, seconds):
    item = window(per_second)
    assert (item.amount, item.get_expiry()) == (amount, seconds)


def test_no_rate_is_refused_as_a_window():
    with pytest.raises(ValueError):
        window(0)


def test_a_name_over_its_limit_is_refused_until_its_window_moves_on(clock):
    limiter = Limiter("memory://")
    assert [limiter.hit("public", "10.1.1.1", 5) for _ in range(6)] == [True] * 5 + [False]
    clock[0] += 0.5
    assert not limiter.hit("public", "10.1.1.1", 5)  # the five are still within 1 s
    assert limiter.hit("public", "10.1.1.2", 5)  # another address has its own
    clock[0] += 0.6
    assert limiter.hit("public", "10.1.1.1", 5)


def test_buckets_are_apart_failed_attempts_spend_nothing_of_a_keys(clock):
    limiter = Limiter("memory://")
    for _ in range(100):
        limiter.hit("failed", "10.1.1.1", 5)
    assert limiter.hit("key", "10.1.1.1", 5)
    assert limiter.hit("public", "10.1.1.1", 5)


def test_over_the_limit_is_a_429_that_says_when_to_try_again(clock):
    limiter = Limiter("memory://")
    limiter.take("key", "abc", 0.5, "for this key")
    with pytest.raises(RateLimited) as refused:
        limiter.take("key", "abc", 0.5, "for this key")
    answer = error_response(refused.value)
    assert answer.status_code == 429 and answer.headers["Retry-After"] == "2"
    assert refused.value.details == {"limit": 0.5, "window_seconds": 2}


def test_no_limit_when_the_rate_is_zero(clock):
    limiter = Limiter("memory://")
    for _ in range(1000):
        limiter.take("public", "10.1.1.1", 0, "from one address")


def test_names_whose_windows_are_over_are_forgotten(clock, monkeypatch):
    monkeypatch.setattr(ratelimits, "FORGET_SECONDS", 0)
    limiter = Limiter("memory://")
    for address in ("a", "b", "c"):
        limiter.hit("public", address, 1)
    clock[0] += 0.5
    limiter.hit("public", "d", 1)
    assert len(limiter.local.events) == 4
    clock[0] += 0.6  # a, b and c are over, d is not
    limiter.hit("public", "d", 1)
    assert [name.split("/")[2] for name in limiter.local.events] == ["d"]


def test_counting_starts_no_thread_and_keeps_no_entry_past_its_window(clock, monkeypatch):
    """The library's store starts a timer thread every 10 ms to expire its entries (a
    green thread each under eventlet); here they are dropped in the counting call."""
    started = []
    limiter = Limiter("memory://")
    monkeypatch.setattr(memory.threading, "Timer", lambda *a, **k: started.append(a))
    monkeypatch.setattr(ratelimits, "FORGET_SECONDS", 0)
    for _ in range(30):  # 30 windows of a second, each filled and then some refused
        for _ in range(7):
            limiter.hit("public", "10.1.1.1", 5)
        clock[0] += 1.01
    limiter.hit("public", "10.1.1.1", 5)
    assert started == []
    (entries,) = limiter.local.events.values()
    assert len(entries) == 1  # the older windows' dropped


def test_a_password_in_the_stores_url_stays_out_of_the_log():
    assert ratelimits._without_password("redis://:geheim@redis:6379/0") == (
        "redis://:***@redis:6379/0"
    )
