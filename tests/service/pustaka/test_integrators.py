"""`pustaka integrators`: an integrator's own broker user reads the services' events
through queues of its own, and is refused everything else, by the real broker."""

import json
import os
import re
import time
import uuid

import amqp
import pytest
from kombu import Connection

from chassis.nameko.queues import events_exchange
from tests.support import broker_as, pustaka, refused


@pytest.fixture
def broker_env(rabbit_config):
    return {**os.environ, "AMQP_URI": rabbit_config["AMQP_URI"]}


def create(env, name: str) -> str:
    done = pustaka(env, "integrators", "create", name)
    assert done.returncode == 0, done.stderr
    return re.search(r"\(password shown once\): (\S+)", done.stdout).group(1)


def test_an_integrator_reads_events_and_nothing_else(broker_env):
    suffix = uuid.uuid4().hex[:6]
    name, other = f"dasbor-{suffix}", f"kota-{suffix}"
    with Connection(broker_env["AMQP_URI"]) as admin:  # as the platform declares them
        channel = admin.channel()
        events_exchange("catalog")(channel).declare()
        channel.queue_declare("rpc-catalog", durable=True)
    try:
        password = create(broker_env, name)
        other_password = create(broker_env, other)
        listed = pustaka(broker_env, "integrators", "list").stdout.split()
        assert {f"integrator.{name}", f"integrator.{other}"} <= set(listed)

        mine = broker_as(broker_env["AMQP_URI"], f"integrator.{name}", password)
        channel = mine.channel()
        queue = f"integrator.{name}.titles"
        channel.queue_declare(queue, durable=True, auto_delete=False)
        channel.queue_bind(queue, "catalog.events", "title_created")
        with Connection(broker_env["AMQP_URI"]) as admin:
            body = json.dumps({"type": "catalog.title_created", "subject": "T000001"})
            producer = admin.Producer(exchange=events_exchange("catalog"))
            producer.publish(body, routing_key="title_created", content_type="application/json")
        message = None
        for _ in range(50):
            message = channel.basic_get(queue, no_ack=True)
            if message is not None:
                break
            time.sleep(0.1)
        assert message is not None and json.loads(message.body)["subject"] == "T000001"

        forged = amqp.Message(json.dumps({"type": "catalog.title_updated"}))
        assert refused(mine, lambda ch: ch.basic_publish(forged, "catalog.events", "title_updated"))
        assert refused(mine, lambda ch: ch.basic_get("rpc-catalog"))
        theirs = broker_as(broker_env["AMQP_URI"], f"integrator.{other}", other_password)
        theirs.channel().queue_declare(
            f"integrator.{other}.titles", durable=True, auto_delete=False
        )
        assert refused(mine, lambda ch: ch.basic_get(f"integrator.{other}.titles"))
        assert refused(mine, lambda ch: ch.queue_declare(f"integrator.{other}.mine", durable=True))
        assert refused(
            mine, lambda ch: ch.exchange_declare("catalog.events", "topic", durable=True)
        )
        theirs.close()
        mine.close()
    finally:
        for who in (name, other):
            pustaka(broker_env, "integrators", "remove", who)
    assert f"integrator.{name}" not in pustaka(broker_env, "integrators", "list").stdout


def test_a_bad_name_is_refused(broker_env):
    done = pustaka(broker_env, "integrators", "create", "Bad Name!")
    assert done.returncode == 2 and "lowercase" in done.stderr
