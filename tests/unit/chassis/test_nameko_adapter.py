"""The messaging adapter's own rules, one class at a time."""

import logging
from types import SimpleNamespace

from nameko.exceptions import deserialize, serialize

from chassis.errors import Conflict, NotFound
from chassis.nameko.errors import registered
from chassis.nameko.intake import GuardedRpcConsumer
from chassis.nameko.run import HidePasswords


class TitleWithdrawn(Conflict):
    """A service's own error class: defined after the adapter registered the chassis'."""

    code = "TITLE_WITHDRAWN"


def test_every_chassis_error_crosses_the_hop_as_itself():
    again = deserialize(serialize(NotFound("No title 'T9'.", {"id": "T9"})))
    assert type(again) is NotFound and again.details == {"id": "T9"}


def test_an_unregistered_error_leaves_as_its_nearest_registered_class():
    sent = registered(TitleWithdrawn("T1 is withdrawn.", {"id": "T1"}))
    again = deserialize(serialize(sent))
    assert type(again) is Conflict  # not a RemoteError, which the gateway answers 500
    assert (again.message, again.details) == ("T1 is withdrawn.", {"id": "T1"})
    assert sent.code == "TITLE_WITHDRAWN"


class BrokerGone:
    def send(self, message, result, exc_info):
        raise ConnectionResetError("the broker went away")


class Acknowledges:
    def __init__(self):
        self.acked = []

    def ack_message(self, message):
        self.acked.append(message)


def test_a_reply_that_cannot_be_sent_fails_the_call_not_the_process():
    """The request is acknowledged all the same: a write's answer is kept for its retry."""
    consumer = GuardedRpcConsumer.__new__(GuardedRpcConsumer)
    consumer.replier, consumer.queue_consumer = BrokerGone(), Acknowledges()
    message = SimpleNamespace(delivery_info={"routing_key": "catalog.create_title"})
    assert consumer.handle_result(message, {"id": "T1"}, None) == ({"id": "T1"}, None)
    assert consumer.queue_consumer.acked == [message]


def test_no_node_of_a_clusters_uri_shows_its_password_in_the_log():
    record = logging.LogRecord(
        "nameko", logging.WARNING, __file__, 1, "Error connecting to broker at %s", None, None
    )
    record.args = ("amqp://pustaka-catalog:***@a:5672/p;amqp://pustaka-catalog:s3cr3t@b:5672/p",)
    HidePasswords().filter(record)
    assert "s3cr3t" not in record.getMessage() and "pustaka-catalog:" in record.getMessage()
