"""The per-address limit for traffic without a valid key: a token bucket per
address that refills with time, kept for a bounded number of addresses."""

import pytest

from gateway.edge import auth
from gateway.edge.errors import RateLimited


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(auth.time, "monotonic", lambda: now[0])
    return now


def test_an_address_over_its_limit_is_refused_until_its_bucket_refills(clock):
    limit = auth.AddressLimit(rate=5)
    for _ in range(10):  # a burst of twice the rate
        limit.take("10.1.1.1")
    with pytest.raises(RateLimited):
        limit.take("10.1.1.1")
    assert limit.exhausted("10.1.1.1") and not limit.exhausted("10.1.1.2")
    clock[0] += 0.2  # one request's worth at 5 a second
    assert not limit.exhausted("10.1.1.1")
    limit.take("10.1.1.1")
    assert limit.exhausted("10.1.1.1")


def test_no_limit_when_the_rate_is_zero(clock):
    limit = auth.AddressLimit(rate=0)
    for _ in range(1000):
        limit.take("10.1.1.1")
    assert not limit.exhausted("10.1.1.1")


def test_addresses_kept_are_bounded_least_recent_first(clock, monkeypatch):
    monkeypatch.setattr(auth, "ADDRESSES_KEPT", 3)
    limit = auth.AddressLimit(rate=1)
    for address in ("a", "b", "c"):
        limit.take(address)
    limit.take("a")  # a is now the most recent
    limit.take("d")
    assert list(limit._buckets) == ["c", "a", "d"]
