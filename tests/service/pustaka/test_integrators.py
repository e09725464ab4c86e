"""`pustaka integrators`: an integrator's own broker user reads the services' events
through the queues the operator makes for it, and is refused everything else (declaring
a queue or an exchange, binding, publishing), by the real broker."""

import json
import os
import re
import time
import uuid

import amqp
import pytest
from kombu import Connection

from chassis.errors import ValidationFailed
from chassis.nameko.queues import events_exchange
from pustaka import integrators
from pustaka.platform import load_config
from tests.support import broker_as, pustaka, refused


@pytest.fixture
def broker_env(rabbit_config):
    return {**os.environ, "AMQP_URI": rabbit_config["AMQP_URI"]}


@pytest.fixture
def config(broker_env):
    """The operator's configuration, for what the test does in its own process (each
    command once as its own process is enough to show the command)."""
    return load_config(broker_env)


def create(env, name: str) -> str:
    done = pustaka(env, "integrators", "create", name)
    assert done.returncode == 0, done.stderr
    return re.search(r"\(password shown once\): (\S+)", done.stdout).group(1)


def test_an_integrator_reads_events_and_nothing_else(broker_env, config):
    suffix = uuid.uuid4().hex[:6]
    name, other = f"dasbor-{suffix}", f"kota-{suffix}"
    with Connection(broker_env["AMQP_URI"]) as admin:  # as the platform declares them
        channel = admin.channel()
        events_exchange("catalog")(channel).declare()
        channel.queue_declare("rpc-catalog", durable=True)
    try:
        password = create(broker_env, name)
        integrators.create(config, other)
        assert {f"integrator.{name}", f"integrator.{other}"} <= set(integrators.names(config))

        made = pustaka(
            broker_env, "integrators", "subscribe", name, "titles", "catalog.title_created"
        )
        assert made.returncode == 0, made.stderr
        queue = f"integrator.{name}.titles"
        mine = broker_as(broker_env["AMQP_URI"], f"integrator.{name}", password)
        channel = mine.channel()
        with Connection(broker_env["AMQP_URI"]) as admin:
            producer = admin.Producer(exchange=events_exchange("catalog"))
            for event_type, subject in (("title_updated", "T000002"), ("title_created", "T000001")):
                body = json.dumps({"type": f"catalog.{event_type}", "subject": subject})
                producer.publish(body, routing_key=event_type, content_type="application/json")
        message = None
        for _ in range(50):
            message = channel.basic_get(queue, no_ack=True)
            if message is not None:
                break
            time.sleep(0.1)
        # Only the type it subscribed to reached it.
        assert message is not None and json.loads(message.body)["subject"] == "T000001"
        assert channel.basic_get(queue, no_ack=True) is None

        forged = amqp.Message(json.dumps({"type": "catalog.title_updated"}))
        assert refused(mine, lambda ch: ch.basic_publish(forged, "catalog.events", "title_updated"))
        assert refused(mine, lambda ch: ch.basic_get("rpc-catalog"))
        integrators.subscribe(config, other, "titles", ["*"])
        assert refused(mine, lambda ch: ch.basic_get(f"integrator.{other}.titles"))
        # Nothing of its own to declare, bind or publish to: not a queue, not an exchange.
        assert refused(mine, lambda ch: ch.queue_declare(f"integrator.{name}.more", durable=True))
        assert refused(mine, lambda ch: ch.queue_bind(queue, "catalog.events", "#"))
        assert refused(
            mine, lambda ch: ch.exchange_declare(f"integrator.{name}.x", "fanout", durable=True)
        )
        assert refused(
            mine, lambda ch: ch.exchange_declare("catalog.events", "topic", durable=True)
        )
        own = amqp.Message("hello")
        assert refused(mine, lambda ch: ch.basic_publish(own, "", queue))
        mine.close()
        gone = pustaka(broker_env, "integrators", "unsubscribe", name, "titles")
        assert gone.returncode == 0, gone.stderr
        with Connection(broker_env["AMQP_URI"]) as admin, pytest.raises(amqp.exceptions.NotFound):
            admin.channel().queue_declare(queue, passive=True)
    finally:
        integrators.unsubscribe(config, other, "titles")
        assert pustaka(broker_env, "integrators", "remove", name).returncode == 0
        integrators.remove(config, other)
    assert f"integrator.{name}" not in integrators.names(config)


def test_a_bad_name_is_refused_and_integrators_are_listed(broker_env):
    done = pustaka(broker_env, "integrators", "create", "Bad Name!")
    assert done.returncode == 2 and "lowercase" in done.stderr
    assert pustaka(broker_env, "integrators", "list").returncode == 0


def test_a_subscription_names_events_the_platform_publishes(config):
    for pattern, says in (
        ("catalog.nope", "publishes no 'nope'"),
        ("nonsense.*", "no service"),
        ("catalog", "write *, service.* or service.type"),
    ):
        with pytest.raises(ValidationFailed) as refused_:
            integrators.subscribe(config, "dasbor", "q", [pattern])
        assert says in str(refused_.value.details), refused_.value.details
