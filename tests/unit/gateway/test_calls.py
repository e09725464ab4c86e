"""Calls into services, with stand-ins for the request publisher, the reply listener
and the consumer probe: whatever keeps a request from reaching a service is a 503
the client may retry."""

import json
from types import SimpleNamespace

import amqp
import eventlet
import pytest
from kombu.exceptions import OperationalError
from nameko.amqp.publish import UndeliverableMessage

from gateway.edge import calls
from gateway.edge.errors import DeadlineExceeded, ServiceUnavailable, error_response

# Each as kombu and amqp raise it while the broker goes away or is away.
BROKER_FAILURES = [
    OperationalError("[Errno 111] ECONNREFUSED"),  # no connection, after kombu's retries
    ConnectionRefusedError(111, "Connection refused"),
    ConnectionResetError(104, "Connection reset by peer"),
    BrokenPipeError(32, "Broken pipe"),
    TimeoutError("timed out"),  # socket.timeout
    amqp.exceptions.ConnectionForced("CONNECTION_FORCED - broker forced connection closure"),
    amqp.exceptions.RecoverableConnectionError("connection already closed"),
    amqp.exceptions.MessageNacked(),
]


class Probe:
    def __init__(self, consumers=1, error=None):
        self.count, self.error = consumers, error

    def consumers(self, service):
        if self.error is not None:
            raise self.error
        return self.count

    def lost(self):
        return False  # as the replies' consumer sees it: not yet


class Sender:
    """What Calls sends through (ServiceCalls): publishers of requests, by whether
    they write, and the reply listener, answering at once unless `answer` is None."""

    publish_error: BaseException | None = None
    publish_seconds = 0.0
    answer: dict | None = {"result": "ok", "error": None}
    exchange = "nameko-rpc"
    deadline = 1.0
    config = {"AMQP_URI": "amqp://guest:guest@127.0.0.1:5672/"}

    def __init__(self, probe):
        self.probe = probe
        self.published = []
        self.forgotten = []
        self.publishers = {writes: self._publisher(writes) for writes in (False, True)}
        self.reply_listener = self

    routing_key = "rpc.reply-gateway"

    def get_reply_event(self, correlation_id, replier):
        reply = eventlet.event.Event()
        if self.answer is not None:
            reply.send(self.answer)
        return reply

    def forget(self, correlation_id):
        self.forgotten.append(correlation_id)

    def _publisher(self, writes):
        sender = self

        class Publisher:
            def publish(self, payload, **options):
                eventlet.sleep(sender.publish_seconds)
                if sender.publish_error is not None:
                    raise sender.publish_error
                sender.published.append((writes, payload, options))

        return Publisher()


@pytest.fixture
def sender():
    return Sender(Probe())


def call(sender, probe=None, deadline=1.0, writes=False):
    sender.probe = probe or sender.probe
    context = SimpleNamespace(context_data={"caller": "c"})
    return calls.Calls(context, sender)(
        "catalog", "get_title", "T000001", deadline=deadline, writes=writes
    )


def assert_broker_unreachable(raised):
    assert raised.value.details == {"service": "catalog", "broker": "unreachable"}
    response = error_response(raised.value)
    assert response.status_code == 503 and response.headers["Retry-After"] == "1"
    assert json.loads(response.get_data())["error"] == "SERVICE_UNAVAILABLE"


def test_an_answer_comes_back(sender):
    assert call(sender) == "ok"


@pytest.mark.parametrize("writes", [False, True])
def test_a_request_says_what_to_call_with_its_deadline_and_caller(sender, writes):
    call(sender, deadline=2.5, writes=writes)
    [(by_writer, payload, options)] = sender.published
    assert by_writer is writes  # a write's request goes by the confirmed publisher
    assert payload == {"args": ("T000001",), "kwargs": {}}
    assert options["routing_key"] == "catalog.get_title"
    assert options["expiration"] == 2.5
    assert options["reply_to"] == "rpc.reply-gateway"
    assert options["headers"] == {"nameko.caller": "c"}


@pytest.mark.parametrize("failure", BROKER_FAILURES, ids=lambda e: type(e).__name__)
def test_a_publish_the_broker_does_not_take_is_503_naming_the_broker(sender, failure):
    sender.publish_error = failure
    with pytest.raises(ServiceUnavailable) as raised:
        call(sender)
    assert_broker_unreachable(raised)


@pytest.mark.parametrize("failure", BROKER_FAILURES, ids=lambda e: type(e).__name__)
def test_a_probe_that_cannot_reach_the_broker_is_503_naming_the_broker(sender, failure):
    with pytest.raises(ServiceUnavailable) as raised:
        call(sender, Probe(error=failure))
    assert_broker_unreachable(raised)


def test_a_publish_still_retrying_at_the_deadline_is_503_not_504(sender):
    sender.publish_seconds = 5  # kombu reconnecting: the request is with no service yet
    with pytest.raises(ServiceUnavailable) as raised:
        call(sender, deadline=0.1)
    assert_broker_unreachable(raised)


def test_a_published_request_not_answered_by_the_deadline_is_504(sender):
    sender.answer = None
    with pytest.raises(DeadlineExceeded) as raised:
        call(sender, deadline=0.1)
    assert raised.value.details == {"service": "catalog", "deadline_seconds": 0.1}


def test_a_service_no_process_consumes_is_503_naming_the_service(sender):
    with pytest.raises(ServiceUnavailable) as raised:
        call(sender, Probe(consumers=0))
    assert raised.value.details == {"service": "catalog"}
    # its queue went between probe and call: the broker returns a write's request
    sender.publish_error = UndeliverableMessage()
    with pytest.raises(ServiceUnavailable) as raised:
        call(sender, Probe(), writes=True)
    assert raised.value.details == {"service": "catalog"}


class Lost(Probe):
    def lost(self):
        return True


def test_while_the_broker_is_lost_a_call_is_refused_at_once_naming_it(sender):
    with pytest.raises(ServiceUnavailable) as raised:
        call(sender, Lost())
    assert raised.value.details == {"service": "catalog", "broker": "unreachable"}
    assert sender.published == []  # nothing waited on the broker


def test_a_call_answered_or_not_leaves_nothing_waiting(sender):
    call(sender)
    sender.answer = None
    with pytest.raises(DeadlineExceeded):
        call(sender, deadline=0.05)
    # each call's reply is forgotten once it returns: a late one finds no one
    assert len(sender.forgotten) == 2 and len(set(sender.forgotten)) == 2


def test_each_service_asked_for_in_a_burst_is_looked_at_one_look_at_a_time():
    """/v1/status asks for every service at once, and a look at a queue is a round
    trip on the probe's one channel: each waits its turn and gets the count now, not
    the one from before the burst (a service started after the gateway used to stay
    "not running" while the others' looks took every turn)."""
    probe = calls.ConsumerProbe()
    probe._seen, probe._lock, probe._conn = {}, calls.Semaphore(), None
    names = ["catalog", "people", "events", "feedback", "webhooks", "insight"]
    running = dict.fromkeys(names, 0)
    looking, most = [], []

    def look(service):
        looking.append(service)
        most.append(len(looking))
        eventlet.sleep(0.01)  # the round trip
        looking.remove(service)
        return running[service]

    probe._look = look

    def burst():
        return [eventlet.spawn(probe.consumers, name) for name in names]

    assert [t.wait() for t in burst()] == [0] * 6
    running.update(dict.fromkeys(names, 2))  # every part's processes are up now
    probe._seen = {name: (0.0, count) for name, (_, count) in probe._seen.items()}  # stale
    assert [t.wait() for t in burst()] == [2] * 6
    assert max(most) == 1  # never two looks on the channel at once
    # within PROBE_SECONDS, the count seen is answered without a look
    looked = len(most)
    assert [t.wait() for t in burst()] == [2] * 6 and len(most) == looked
