"""The gateway's calls into services: a deadline on each, 504 when it passes, 503 at
once when no process of the service is consuming its queue or the broker cannot be
reached."""

import time
from types import SimpleNamespace

import eventlet
import pytest
from nameko.rpc import rpc

from chassis.context import SYSTEM
from chassis.nameko.service import rpc as part_rpc
from gateway.edge.calls import Calls, ConsumerProbe, ServiceCalls
from gateway.edge.errors import ServiceUnavailable
from tests.support import ClusterRpcProxy, free_port


class Sleepy:
    """A part: its replies come from its own broker user, as the gateway requires."""

    name = "sleepy"

    @part_rpc
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
    with ClusterRpcProxy(config, context_data={"caller": SYSTEM.as_context()}, timeout=30) as proxy:
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


class Unanswered:
    """A reply listener for requests that never leave: no reply comes."""

    routing_key = "rpc.reply-nobody"

    def get_reply_event(self, correlation_id, replier):
        return eventlet.event.Event()

    def forget(self, correlation_id):
        pass


def sender(config, probe, deadline):
    """ServiceCalls as the gateway sets it up, with its requests' publishers."""
    calls = ServiceCalls()
    calls.container = SimpleNamespace(
        config={**config, "RPC_TIMEOUT_SECONDS": deadline}, service_name="gateway"
    )
    calls.probe, calls.reply_listener = probe, Unanswered()
    calls.setup()
    return calls


class LastSawOne:
    """The probe as it may be while the broker goes down: it looked under a second
    ago, and a process was consuming then."""

    def consumers(self, service):
        return 1

    def lost(self):
        return False  # the replies' consumer has not noticed yet


class NotNoticed:
    """The replies' consumer before it notices the broker is gone."""

    def broker_lost(self):
        return False


def real_probe(config) -> ConsumerProbe:
    probe = ConsumerProbe()
    probe.container = SimpleNamespace(config=config)
    probe.replies = NotNoticed()
    probe.setup()
    return probe


@pytest.mark.parametrize(
    "probe, deadline",
    [
        (lambda config: LastSawOne(), 30),  # the publisher gives up within about a second
        (lambda config: LastSawOne(), 1),  # the deadline passes while kombu retries
        (real_probe, 30),
    ],
    ids=["kombu-gives-up", "deadline-while-publishing", "probe"],
)
def test_a_broker_that_cannot_be_reached_is_unavailable_not_an_error(probe, deadline):
    config = {"AMQP_URI": f"amqp://guest:guest@127.0.0.1:{free_port()}/"}  # nobody listens
    worker_ctx = SimpleNamespace(container=SimpleNamespace(config=config), context_data={})
    call = Calls(worker_ctx, sender(config, probe(config), deadline))
    started = time.monotonic()
    with pytest.raises(ServiceUnavailable) as raised:
        call("catalog", "get_title", "T000001")
    assert raised.value.details == {"service": "catalog", "broker": "unreachable"}
    assert time.monotonic() - started < min(deadline, 10) + 0.5


def test_the_probe_tries_each_node_of_a_cluster_before_it_reports_the_broker_away(config):
    """A cluster's first node gone: the probe reaches the next one, and the calls go on
    (with max_retries=0 it tried the first only, and every call was a 503 until the
    node came back: the cluster fault's 983 refusals)."""
    scheme, rest = config["AMQP_URI"].split("://", 1)
    dead = f"{scheme}://{rest.split('@')[0]}@127.0.0.1:{free_port()}/{rest.split('/', 1)[1]}"
    probe = real_probe({"AMQP_URI": f"{dead};{config['AMQP_URI']}"})
    assert probe.consumers("nobody") == 0  # looked up on the second node: no such queue
    assert probe.broker_answers()
