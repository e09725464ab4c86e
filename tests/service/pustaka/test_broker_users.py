"""`pustaka broker-users`: each part's own broker user, which the real broker lets
publish only the part's own events and read only its own queues."""

import json
import os
import uuid

import amqp
import pytest
from kombu import Connection

from chassis.nameko.queues import events_exchange
from pustaka import platform
from pustaka.broker_users import Broker, part_user
from tests.support import broker_as, pustaka, refused

PARTS = [p.name for p in platform.parts()]


@pytest.fixture
def passwords(rabbit_config):
    """Every part's user on this test's vhost, made by the command; removed after."""
    made = {part: uuid.uuid4().hex for part in PARTS}
    env = {**os.environ, "AMQP_URI": rabbit_config["AMQP_URI"]}
    env.update({f"{part.upper()}__BROKER_PASSWORD": pw for part, pw in made.items()})
    done = pustaka(env, "broker-users")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("made broker user pustaka-") == len(PARTS)
    yield made
    admin = Broker(rabbit_config["AMQP_URI"], 15672)
    for part in PARTS:
        admin.delete_user(part_user(part, rabbit_config["AMQP_URI"]))


def test_a_part_publishes_its_own_events_and_no_one_elses(rabbit_config, passwords):
    uri = rabbit_config["AMQP_URI"]
    with Connection(uri) as admin:  # as `pustaka declare` leaves them
        channel = admin.channel()
        for service in ("catalog", "people"):
            events_exchange(service)(channel).declare()
            channel.queue_declare(f"rpc-{service}", durable=True)
    catalog = broker_as(uri, part_user("catalog", uri), passwords["catalog"])
    forged = amqp.Message(json.dumps({"type": "people.staff_changed"}))
    mine = amqp.Message(json.dumps({"type": "catalog.title_created"}))

    assert not refused(catalog, lambda ch: ch.basic_publish(mine, "catalog.events", "x"))
    assert refused(catalog, lambda ch: ch.basic_publish(forged, "people.events", "staff_changed"))
    assert refused(catalog, lambda ch: ch.basic_publish(forged, "", "rpc-people"))
    assert refused(catalog, lambda ch: ch.basic_get("rpc-people"))
    assert not refused(catalog, lambda ch: ch.basic_get("rpc-catalog"))
    # It binds a handler queue of its own to another's events, as its handlers do.
    queue = "evt-people-staff_changed--catalog.on_staff_changed"
    assert not refused(catalog, lambda ch: ch.queue_declare(queue, durable=True))
    assert not refused(catalog, lambda ch: ch.queue_bind(queue, "people.events", "staff_changed"))
    assert refused(catalog, lambda ch: ch.queue_declare("evt-x-y--people.z", durable=True))
    catalog.close()


def test_a_part_without_its_password_is_named(rabbit_config):
    env = {k: v for k, v in os.environ.items() if not k.endswith("__BROKER_PASSWORD")}
    done = pustaka({**env, "AMQP_URI": rabbit_config["AMQP_URI"]}, "broker-users")
    assert done.returncode != 0 and "CATALOG__BROKER_PASSWORD" in done.stderr
