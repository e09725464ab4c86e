"""A message that cannot be settled because the broker went away is left to the
broker, never an exception in the worker's thread (which would kill the container)."""

from types import SimpleNamespace

import pytest

from chassis.nameko import settle


class Consumer:
    def __init__(self, error=None):
        self.error, self.settled = error, []

    def ack_message(self, message):
        if self.error:
            raise self.error
        self.settled.append(("ack", message))

    def requeue_message(self, message):
        if self.error:
            raise self.error
        self.settled.append(("requeue", message))


MESSAGE = SimpleNamespace(delivery_info={"routing_key": "title_created"})


@pytest.mark.parametrize("how", [settle.ack, settle.requeue])
def test_a_message_is_settled_when_the_broker_is_there(how):
    consumer = Consumer()
    how(consumer, MESSAGE)
    assert consumer.settled == [(how.__name__, MESSAGE)]


@pytest.mark.parametrize("error", [BrokenPipeError(32, "Broken pipe"), ConnectionResetError()])
@pytest.mark.parametrize("how", [settle.ack, settle.requeue])
def test_a_broker_gone_away_leaves_the_message_to_it(how, error, caplog):
    how(Consumer(error), MESSAGE)
    assert "the broker delivers it again" in caplog.text


def test_anything_else_is_a_bug_and_raises():
    with pytest.raises(KeyError):
        settle.ack(Consumer(KeyError("x")), MESSAGE)
