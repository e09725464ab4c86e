"""The gateway's limits in a Redis every process shares (gateway/edge/ratelimits.py),
on a real Redis server of the test's own: two limiters, as two gateway processes
have, spend one count; two platforms on one Redis keep apart; while the store does
not answer, each counts alone (with a warning), and shares again once it does."""

import logging

from gateway.edge import ratelimits
from gateway.edge.ratelimits import Limiter
from tests.redis_server import RedisServer, redis_server_fixture

redis_server = redis_server_fixture()
RATE = 10  # in any one second: the tests' hits all fall within one


def spent(limiter: Limiter, count: int, name: str = "a1b2c3") -> int:
    return sum(limiter.hit("key", name, RATE) for _ in range(count))


def test_two_processes_limiters_spend_one_count(redis_server):
    first, second = (Limiter(redis_server.url, "/tests-shared") for _ in range(2))
    assert spent(first, 6) + spent(second, 6) == RATE
    assert not first.alone and not second.alone


def test_in_memory_each_process_would_allow_the_whole_limit():
    first, second = Limiter("memory://"), Limiter("memory://")
    assert spent(first, RATE) + spent(second, RATE) == 2 * RATE


def test_platforms_sharing_one_redis_keep_their_counts_apart(redis_server):
    ours, theirs = Limiter(redis_server.url, "/pustaka"), Limiter(redis_server.url, "/staging")
    assert spent(ours, RATE + 1, "k1") == RATE and spent(theirs, RATE, "k1") == RATE


def test_while_the_store_is_away_each_counts_alone_then_shares_again(monkeypatch, caplog):
    monkeypatch.setattr(ratelimits, "RETRY_SECONDS", 0.0)  # try the store on every hit
    server = RedisServer().start()
    first, second = Limiter(server.url, "/outage"), Limiter(server.url, "/outage")
    try:
        server.stop()
        with caplog.at_level(logging.WARNING, logger=ratelimits.__name__):
            assert spent(first, RATE, "k") + spent(second, RATE, "k") == 2 * RATE
        warnings = [r.getMessage() for r in caplog.records]
        # one each, not one per request
        assert len(warnings) == 2 and "does not answer" in warnings[0], warnings
        assert "this process counts alone" in warnings[0]
        server.start()  # on the same port
        assert spent(first, RATE + 1, "k2") + spent(second, 1, "k2") == RATE
    finally:
        server.stop()
