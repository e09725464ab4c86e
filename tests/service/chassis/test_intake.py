"""No message stops a part: each request it cannot take is refused once (parked with
its reason in its dead letters, answered where its sender may be answered,
acknowledged), and the part goes on answering. On the real broker, as one broker
user for every part (the tests' own, as with BROKER_PART_USERS off); the broker
users of each part are tests/e2e/test_trust.py's."""

import json
import uuid

import amqp
import eventlet
import eventlet.event
import pytest
from nameko.exceptions import IncorrectSignature, MalformedRequest, MethodNotFound

from chassis import probes
from chassis.context import SYSTEM
from chassis.errors import Forbidden
from chassis.nameko.deadletters import list_parked
from chassis.nameko.service import rpc
from chassis.nameko.watchdog import Watchdog
from chassis.trust import uri_user
from deploy.checks import process_state
from tests.support import ClusterRpcProxy, broker_as, wait_for

CALLER = {"nameko.caller": SYSTEM.as_context()}


class Echo:
    name = "echo"

    @rpc
    def echo(self, text):
        return text


@pytest.fixture
def echo(config, container_factory):
    container = container_factory(Echo, {**config, "max_workers": 4})
    container.start()
    yield config
    assert not container._died.ready(), "the part stopped"


@pytest.fixture
def broker(echo):
    """A plain AMQP connection as the tests' broker user, with a reply queue."""
    uri = echo["AMQP_URI"]
    conn = broker_as(uri, uri_user(uri), "guest")
    channel = conn.channel()
    channel.queue_declare("test-replies", exclusive=True)
    channel.queue_bind("test-replies", "nameko-rpc", "reply.test.0")
    yield conn, channel
    conn.close()


def send(channel, body, *, method="echo", user=True, reply_to="reply.test.0", **properties):
    properties.setdefault("content_type", "application/json")
    if properties["content_type"] is None:
        del properties["content_type"]
    properties.setdefault("application_headers", CALLER)
    if user:
        properties["user_id"] = "guest"
    if reply_to:
        properties["reply_to"] = reply_to
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    message = amqp.Message(raw, correlation_id=str(uuid.uuid4()), **properties)
    channel.basic_publish(message, "nameko-rpc", f"echo.{method}")


def parked(config, expected: int) -> list:
    found = []

    def enough():
        found[:] = list_parked(config["AMQP_URI"], "echo")
        return len(found) >= expected

    assert wait_for(enough, timeout=10), [p.error for p in found]
    return found


def echo_answers(config) -> bool:
    with ClusterRpcProxy(config, context_data={"caller": SYSTEM.as_context()}, timeout=10) as rpc:
        return rpc.echo.echo("masih hidup") == "masih hidup"


def test_requests_that_cannot_be_answered_are_parked_and_never_wedge_the_part(echo, broker):
    _, channel = broker
    # More than the part's workers: unacknowledged, they would hold every one of them.
    for _ in range(10):
        send(channel, {"args": ["a"], "kwargs": {}}, reply_to=None)
    send(channel, {"args": ["a"], "kwargs": {}}, user=False)
    found = parked(echo, 11)
    assert sum("names no reply_to" in p.error for p in found) == 10
    assert sum("from no user" in p.error for p in found) == 1
    assert {p.original_queue for p in found} == {"rpc-echo"}
    assert echo_answers(echo)
    assert channel.basic_get("test-replies") is None  # none of them was answered


@pytest.mark.parametrize(
    "body, properties, error",
    [
        ({"args": "a"}, {}, MalformedRequest),
        ({"args": ["a", "b", "c"], "kwargs": {}}, {}, IncorrectSignature),
        ({"args": ["a"], "kwargs": {}}, {"application_headers": {}}, Forbidden),
        ({"args": ["a"], "kwargs": {}}, {"method": "nope"}, MethodNotFound),
    ],
    ids=["not-a-request", "not-the-methods-arguments", "no-caller", "no-such-method"],
)
def test_a_malformed_request_is_answered_with_its_error_and_parked(
    echo, broker, body, properties, error
):
    _, channel = broker
    send(channel, body, **properties)
    (found,) = parked(echo, 1)
    assert found.error.startswith(error.__name__)
    assert wait_for(lambda: (reply := channel.basic_get("test-replies")) and _answered(reply))
    assert echo_answers(echo)


def _answered(reply) -> bool:
    return json.loads(reply.body)["error"] is not None


@pytest.mark.parametrize(
    "body, content_type, reason",
    [
        (b"\x80\x04K\x01.", "application/x-python-serialize", "cannot decode"),
        (b"{not json", "application/json", "cannot decode"),
        (b"\x00\x01", None, "MalformedRequest"),  # raw bytes: not a request
    ],
    ids=["a-type-it-does-not-take", "not-what-it-says", "no-type"],
)
def test_a_body_it_cannot_decode_is_parked_not_fatal(echo, broker, body, content_type, reason):
    _, channel = broker
    for _ in range(3):  # nameko's consumer died on the first, and the next process on it
        send(channel, body, content_type=content_type)
    found = parked(echo, 3)
    assert all(reason in p.error for p in found), [p.error for p in found]
    assert echo_answers(echo)


class Stuck:
    name = "stuck"
    watchdog = Watchdog(on_stuck=lambda why: Stuck.told.append(why))
    told: list = []

    @rpc
    def wait(self):
        eventlet.sleep(30)  # what never comes


def test_a_process_whose_workers_are_all_stuck_ends_itself(config, container_factory):
    container = container_factory(Stuck, {**config, "max_workers": 2, "STUCK_SECONDS": 3})
    container.start()
    with ClusterRpcProxy(config, context_data={"caller": SYSTEM.as_context()}) as proxy:
        for _ in range(2):
            proxy.stuck.wait.call_async()
        assert wait_for(lambda: Stuck.told, timeout=20)
    assert "all 2 workers have been busy" in Stuck.told[0]


class Busy:
    name = "busy"
    watchdog = Watchdog()  # as ServiceBase brings it to every part
    release = eventlet.event.Event()

    @rpc
    def work(self):
        Busy.release.wait()


def test_a_process_whose_workers_are_all_busy_past_the_deadline_is_not_ready(
    config, container_factory, tmp_path
):
    settings = {"max_workers": 2, "RPC_TIMEOUT_SECONDS": 1, "PROBE_DIR": str(tmp_path)}
    container = container_factory(Busy, {**config, **settings})
    container.start()
    config = {**config, **settings}

    def ready() -> bool:
        return all(p.ready for p in probes.read(tmp_path, "busy"))

    assert wait_for(lambda: probes.read(tmp_path, "busy") and ready(), timeout=10)
    assert process_state("busy", "ready", config) and process_state("busy", "alive", config)
    with ClusterRpcProxy(config, context_data={"caller": SYSTEM.as_context()}) as proxy:
        calls = [proxy.busy.work.call_async() for _ in range(2)]
        assert wait_for(lambda: not ready(), timeout=10)
        (probe,) = probes.read(tmp_path, "busy")
        assert "all 2 workers have been busy" in probe.why
        assert not process_state("busy", "ready", config)
        assert process_state("busy", "alive", config)  # busy is not dead
        Busy.release.send()
        for call in calls:
            call.result()
    assert wait_for(ready, timeout=10)
    container.stop()
    assert probes.read(tmp_path, "busy") == []
