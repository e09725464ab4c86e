"""How the gateway's requests and the parts' replies go out (rpc_messages.py), on the
real broker: transient, as the publisher's broker user, with the caller's headers;
a write's request confirmed and mandatory (one no queue takes is refused at once),
a read's and a reply not."""

import json
import socket

import pytest
from kombu import Exchange
from nameko.amqp.publish import UndeliverableMessage

from chassis.nameko.rpc_messages import reply_publisher, request_publisher
from chassis.trust import uri_user
from tests.support import broker_as, wait_for

EXCHANGE, QUEUE, KEY = "test-rpc-messages", "test-rpc-requests", "catalog.get_title"


@pytest.fixture
def channel(config):
    uri = config["AMQP_URI"]
    conn = broker_as(uri, uri_user(uri), "guest")
    channel = conn.channel()
    channel.exchange_declare(EXCHANGE, "topic", durable=False, auto_delete=True)
    channel.queue_declare(QUEUE, exclusive=True)
    channel.queue_bind(QUEUE, EXCHANGE, KEY)
    yield channel
    conn.close()


def received(channel):
    found = []
    assert wait_for(lambda: found.append(channel.basic_get(QUEUE, no_ack=True)) or found[-1])
    return found[-1]


@pytest.mark.parametrize("writes", [True, False])
def test_a_request_goes_transient_as_its_user_with_the_callers_headers(config, channel, writes):
    user = uri_user(config["AMQP_URI"])
    request_publisher(config["AMQP_URI"], writes, user).publish(
        {"args": ["T000001"], "kwargs": {}},
        # the gateway names the exchange as kombu does; a part names it by its name
        exchange=Exchange(EXCHANGE, type="topic") if writes else EXCHANGE,
        routing_key=KEY,
        headers={"nameko.caller": "c"},
        reply_to="rpc.reply-gateway",
        correlation_id="call-1",
        expiration=2.5,
    )
    message = received(channel)
    assert json.loads(message.body) == {"args": ["T000001"], "kwargs": {}}
    assert message.properties["delivery_mode"] == 1
    assert message.properties["user_id"] == user
    assert message.properties["application_headers"] == {"nameko.caller": "c"}
    assert message.properties["reply_to"] == "rpc.reply-gateway"
    assert message.properties["correlation_id"] == "call-1"
    assert message.properties["expiration"] == "2500"


def test_only_a_writes_request_that_no_queue_takes_is_refused(config, channel):
    uri, user = config["AMQP_URI"], uri_user(config["AMQP_URI"])
    with pytest.raises(UndeliverableMessage):
        request_publisher(uri, True, user).publish({}, exchange=EXCHANGE, routing_key="no.queue")
    # A read's request and a reply are not confirmed: lost, their caller's deadline tells.
    request_publisher(uri, False, user).publish({}, exchange=EXCHANGE, routing_key="no.queue")
    reply_publisher(uri, user).publish("{}", exchange=EXCHANGE, routing_key="no.queue")
    reply_publisher(uri, user).publish(
        '{"result": 1}', exchange=EXCHANGE, routing_key=KEY, content_type="application/json",
        content_encoding="utf-8",
    )  # fmt: skip
    message = received(channel)
    assert json.loads(message.body) == {"result": 1}
    assert message.properties["delivery_mode"] == 1


def test_a_publisher_whose_connection_was_cut_connects_again_and_publishes(config, channel):
    uri, user = config["AMQP_URI"], uri_user(config["AMQP_URI"])
    publisher = reply_publisher(uri, user)
    publisher.publish({"n": 1}, exchange=EXCHANGE, routing_key=KEY)
    assert json.loads(received(channel).body) == {"n": 1}
    with publisher._pool.acquire(block=True) as producer:
        # the socket cut under it, as a broker restart leaves it
        producer.connection.connection.transport.sock.shutdown(socket.SHUT_RDWR)
    publisher.publish({"n": 2}, exchange=EXCHANGE, routing_key=KEY)
    assert json.loads(received(channel).body) == {"n": 2}
