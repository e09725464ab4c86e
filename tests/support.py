"""Helpers for tests that watch the broker or wait for something to happen."""

import json
import time

from kombu import Connection, Queue

from services.chassis.declare import events_exchange


class Subscriber:
    def __init__(self, amqp_uri: str):
        self.conn = Connection(amqp_uri)
        self.channel = self.conn.channel()

    def bind(self, service: str, routing_key: str = "#") -> Queue:
        queue = Queue(
            f"test-{service}-{routing_key}",
            exchange=events_exchange(service),
            routing_key=routing_key,
            durable=False,
            auto_delete=False,
        )(self.channel)
        queue.declare()
        return queue

    def drain(self, queue: Queue, expect: int, timeout: float = 10.0) -> list:
        """Wait until `expect` messages have arrived (then a moment more, to catch any
        extra), and return every one that came."""
        got, deadline = [], time.monotonic() + timeout
        settle = None
        while time.monotonic() < deadline:
            message = queue.get(no_ack=True)
            if message is not None:
                got.append(message)
                continue
            if len(got) >= expect:
                settle = settle or time.monotonic() + 0.3
                if time.monotonic() > settle:
                    break
            time.sleep(0.02)
        return got

    def close(self):
        self.conn.release()


def bodies(messages) -> list[dict]:
    return [json.loads(m.body) for m in messages]


def wait_for(predicate, timeout: float = 10.0, interval: float = 0.05):
    """Poll until predicate() is truthy; return its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)
