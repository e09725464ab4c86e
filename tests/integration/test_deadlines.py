"""The gateway's calls into services: a deadline on each, 504 when it passes, 503 at
once when no process of the service is consuming its queue."""

import time

import eventlet
import pytest
from nameko.rpc import rpc
from nameko.standalone.rpc import ClusterRpcProxy

from gateway.calls import ServiceCalls


class Sleepy:
    name = "sleepy"

    @rpc
    def nap(self, seconds):
        eventlet.sleep(seconds)
        return "awake"


class Front:
    """Stands in for the gateway: calls through ServiceCalls, reports what happened."""

    name = "front"
    call = ServiceCalls()

    @rpc
    def ask(self, service, seconds, deadline):
        started = time.monotonic()
        try:
            return {"result": self.call(service, "nap", seconds, deadline=deadline)}
        except Exception as exc:
            return {
                "error": getattr(exc, "code", type(exc).__name__),
                "elapsed": time.monotonic() - started,
            }


@pytest.fixture
def front(config, container_factory):
    for cls in (Sleepy, Front):
        container_factory(cls, config).start()
    with ClusterRpcProxy(config, timeout=30) as proxy:
        yield proxy


def test_an_answer_within_the_deadline_comes_back(front):
    assert front.front.ask("sleepy", 0.01, 2) == {"result": "awake"}


def test_a_slow_service_gives_deadline_exceeded_when_the_deadline_passes(front):
    outcome = front.front.ask("sleepy", 5, 0.5)
    assert outcome["error"] == "DEADLINE_EXCEEDED"
    assert outcome["elapsed"] < 2  # the deadline, not the service's 5 s


def test_a_service_with_no_process_is_unavailable_at_once(front):
    outcome = front.front.ask("nobody", 0, 5)
    assert outcome["error"] == "SERVICE_UNAVAILABLE"
    assert outcome["elapsed"] < 2  # not the 5 s deadline
