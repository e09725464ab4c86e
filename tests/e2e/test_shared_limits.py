"""The limits across several gateway processes, as `make up` runs them with
GATEWAY_REPLICAS=4: the runner gives them a Redis to share (LOCAL_REDIS_URL, here a
server of the test's own), and a key's limit then holds for all of them together,
at 4 processes and at 2; so do an address's, behind a trusted proxy (127.0.0.1
here) by the address it forwards for. Without the Redis, each process counts alone.

The rates are measured figures, not timings: clients on fresh connections (which
the kernel spreads over the processes listening on the port) send requests as fast
as they are answered, and the admitted ones are counted over whole seconds from the
first. A moving window admits at most the limit in each of those seconds, so the
count is bounded above by design; the bound below (10 % under) only needs the
clients to keep asking, which they do hundreds of times a second."""

import shutil
import time

import pytest

from tests.platform import platform_fixture
from tests.redis_server import MISSING, RedisServer
from tests.support import admitted, client_at, wait_for

KEY_RATE = 20  # the measured key's limit, requests in any one second
ADDRESS_RATE = 5  # GATEWAY_ANONYMOUS_RATE_LIMIT here
SECONDS = 3  # measured, whole seconds from the first request
CLIENTS = 8
REDIS = RedisServer()  # its port is chosen now: the platform's environment names it

platform = platform_fixture(
    databases=("sqlite",),
    env={
        "GATEWAY_REPLICAS": "4",
        "LOCAL_REDIS_URL": REDIS.url,
        "GATEWAY_ANONYMOUS_RATE_LIMIT": str(ADDRESS_RATE),
        "GATEWAY_TRUSTED_PROXIES": "127.0.0.1",
    },
)


@pytest.fixture(scope="module", autouse=True)
def shared_store():
    """The module's Redis, started before the platform (autouse comes first)."""
    if not shutil.which("redis-server"):
        pytest.skip(MISSING)
    yield REDIS.start()
    REDIS.stop()


def gateways_running(platform, count: int) -> None:
    def running() -> bool:
        return platform.ctl("status", "gateway:*").count("RUNNING") == count

    assert wait_for(running, timeout=30, interval=0.5), platform.ctl("status", "gateway:*")


def key_rate(platform, name: str) -> float:
    out = platform.cli("keys", "create", name, "--role", "integrator", "--rate-limit", "20")
    key = out.split("key (shown once): ")[1].strip()
    headers = {"Authorization": f"Bearer {key}"}
    return admitted(platform.url + "/v1/catalog/branches", headers, SECONDS, CLIENTS) / SECONDS


def test_a_keys_limit_holds_across_4_and_2_gateway_processes(platform):
    gateways_running(platform, 4)
    at_four = key_rate(platform, "Dasbor Kota 4")
    platform.ctl("stop", "gateway:gateway-2", "gateway:gateway-3")
    gateways_running(platform, 2)
    at_two = key_rate(platform, "Dasbor Kota 2")
    print(f"\nadmitted a second, limit {KEY_RATE}: 4 processes {at_four:.1f}, 2 {at_two:.1f}")
    for rate in (at_four, at_two):
        assert 0.9 * KEY_RATE <= rate <= 1.1 * KEY_RATE, (at_four, at_two)


def test_an_address_behind_the_trusted_proxy_is_limited_across_processes(platform):
    def statuses(client, forwarded_for: str) -> list[int]:
        headers = {"X-Forwarded-For": f"203.0.113.50, {forwarded_for}", "Connection": "close"}
        return [
            client.get(platform.url + "/health", headers=headers, timeout=10).status_code
            for _ in range(4 * ADDRESS_RATE)
        ]

    proxy, elsewhere = client_at("127.0.0.1"), client_at("127.0.0.2")
    began = time.monotonic()
    first = statuses(proxy, "198.51.100.1")
    seconds = max(1, int(time.monotonic() - began) + 1)
    assert first.count(200) <= ADDRESS_RATE * seconds and 429 in first, first
    # the next person behind the proxy is someone else
    assert statuses(proxy, "198.51.100.2")[:ADDRESS_RATE] == [200] * ADDRESS_RATE
    # and a peer that is no proxy is itself, whatever it says it forwards for
    sent = statuses(elsewhere, "198.51.100.3") + statuses(elsewhere, "198.51.100.4")
    assert 429 in sent, sent


def test_without_its_store_each_process_limits_alone_and_says_so(platform):
    gateways_running(platform, 2)
    REDIS.stop()
    alone = key_rate(platform, "Dasbor Kota tanpa Redis")
    print(f"\nadmitted a second with the store away, limit {KEY_RATE}, 2 processes: {alone:.1f}")
    # each process allows the whole limit (and the kernel gave each its share)
    assert alone >= 1.5 * KEY_RATE
    log = (platform.var / "platform.log").read_text()
    assert "rate limits: the shared store" in log and "counts alone" in log
