"""Calls into services, with a stand-in for nameko's proxy and the consumer probe:
whatever keeps a request from reaching a service is a 503 the client may retry."""

import json

import amqp
import eventlet
import pytest
from kombu.exceptions import OperationalError
from nameko.exceptions import UnknownService
from nameko.rpc import RpcReply

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


class Proxy:
    """nameko's MethodProxy as Calls uses it: publish (call_async), then the reply."""

    publish_error: BaseException | None = None
    publish_seconds = 0.0
    answer: dict | None = {"result": "ok", "error": None}

    def __init__(self, worker_ctx, service, method, reply_listener, expiration):
        self.expiration = expiration

    def call_async(self, *args):
        eventlet.sleep(self.publish_seconds)
        if self.publish_error is not None:
            raise self.publish_error
        reply = eventlet.event.Event()
        if self.answer is not None:
            reply.send(self.answer)
        return RpcReply(reply)


@pytest.fixture
def proxy(monkeypatch):
    class Fresh(Proxy):
        pass

    monkeypatch.setattr(calls, "MethodProxy", Fresh)
    return Fresh


def call(probe=None, deadline=1.0):
    return calls.Calls(None, None, probe or Probe(), deadline)("catalog", "get_title", "T000001")


def assert_broker_unreachable(raised):
    assert raised.value.details == {"service": "catalog", "broker": "unreachable"}
    response = error_response(raised.value)
    assert response.status_code == 503 and response.headers["Retry-After"] == "1"
    assert json.loads(response.get_data())["error"] == "SERVICE_UNAVAILABLE"


def test_an_answer_comes_back(proxy):
    assert call() == "ok"


@pytest.mark.parametrize("failure", BROKER_FAILURES, ids=lambda e: type(e).__name__)
def test_a_publish_the_broker_does_not_take_is_503_naming_the_broker(proxy, failure):
    proxy.publish_error = failure
    with pytest.raises(ServiceUnavailable) as raised:
        call()
    assert_broker_unreachable(raised)


@pytest.mark.parametrize("failure", BROKER_FAILURES, ids=lambda e: type(e).__name__)
def test_a_probe_that_cannot_reach_the_broker_is_503_naming_the_broker(proxy, failure):
    with pytest.raises(ServiceUnavailable) as raised:
        call(Probe(error=failure))
    assert_broker_unreachable(raised)


def test_a_publish_still_retrying_at_the_deadline_is_503_not_504(proxy):
    proxy.publish_seconds = 5  # kombu reconnecting: the request is with no service yet
    with pytest.raises(ServiceUnavailable) as raised:
        call(deadline=0.1)
    assert_broker_unreachable(raised)


def test_a_published_request_not_answered_by_the_deadline_is_504(proxy):
    proxy.answer = None
    with pytest.raises(DeadlineExceeded) as raised:
        call(deadline=0.1)
    assert raised.value.details == {"service": "catalog", "deadline_seconds": 0.1}


def test_a_service_no_process_consumes_is_503_naming_the_service(proxy):
    with pytest.raises(ServiceUnavailable) as raised:
        call(Probe(consumers=0))
    assert raised.value.details == {"service": "catalog"}
    proxy.publish_error = UnknownService("catalog")  # its queue went between probe and call
    with pytest.raises(ServiceUnavailable) as raised:
        call()
    assert raised.value.details == {"service": "catalog"}
