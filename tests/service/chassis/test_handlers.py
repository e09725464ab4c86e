"""Reliable event handling against the real broker: retries, the dead-letter queue,
replay, and idempotency by envelope id. On SQLite and PostgreSQL."""

import json
from collections import Counter

import eventlet
import pytest
from amqp.exceptions import NotFound
from kombu import Connection
from marshmallow import Schema, fields
from sqlalchemy import Column, Integer, String, Table, func, select
from sqlalchemy.orm import DeclarativeBase

from chassis.contract import Consumes
from chassis.db import make_engine
from chassis.envelope import make_envelope
from chassis.nameko.database import Database
from chassis.nameko.deadletters import list_parked, replay
from chassis.nameko.declare import declare_all
from chassis.nameko.grouped import GroupedApply
from chassis.nameko.handlers import event_handler, every_event
from chassis.nameko.publisher import BatchPublisher
from chassis.tables import reliability_tables
from tests.support import wait_for


class Base(DeclarativeBase):
    pass


reliability_tables(Base.metadata)
effects = Table(
    "effects",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", String(36)),
    Column("subject", String(50)),
)


class TitleSeen(Schema):
    """What the listener reads of a title_created: the title, nothing else."""

    title = fields.String(required=True)


class Listener:
    """Records each title it hears of; fails while `failing` is set."""

    name = "listener"
    db = Database(Base)
    failing = False
    calls = 0

    @event_handler(Consumes("catalog", "title_created", TitleSeen, versions=(1,)))
    def on_title_created(self, event):
        type(self).calls += 1
        if type(self).failing:
            raise RuntimeError("the read model is unavailable")
        self.db.apply_once(event, record_effect, event)


class Retired:
    """The listener once it reads titles no more."""

    name = "listener"
    db = Database(Base)
    retired_handlers = (("catalog", "title_created", "on_title_created"),)


def test_a_retired_handlers_queue_goes_once_nothing_waits_in_it(config):
    assert QUEUE in declare_all(config, [Listener])  # no consumer: events wait
    publish(config, make_envelope("catalog", "title_created", "T1", {"title": "Tambo"}))
    assert wait_for(lambda: queue_depth(config) == 1)
    # an event still waits: the queue is kept (the earlier release reads it), unbound
    (kept,) = [line for line in declare_all(config, [Retired]) if QUEUE in line]
    assert "unbound; its 1 events wait" in kept
    publish(config, make_envelope("catalog", "title_created", "T2", {"title": "Ronggeng"}))
    eventlet.sleep(0.3)
    assert queue_depth(config) == 1  # no more come to it
    with Connection(config["AMQP_URI"]) as conn:
        conn.default_channel.queue_purge(QUEUE)  # as the earlier release's handler takes it
    assert f"retired {QUEUE}" in declare_all(config, [Retired])
    with pytest.raises(NotFound):
        queue_depth(config)
    assert f"retired {QUEUE}" in declare_all(config, [Retired])  # gone already: no error


def record_effect(session, event) -> None:
    session.execute(effects.insert().values(event_id=event["id"], subject=event["subject"]))


QUEUE = "evt-catalog-title_created--listener.on_title_created"


@pytest.fixture
def listener(config, database_url, container_factory):
    Listener.failing, Listener.calls = False, 0
    config = {**config, "listener": {"DATABASE_URL": database_url}}
    engine, container = started(Listener, config, container_factory)
    yield container, engine
    engine.dispose()


def publish(config, *envelopes):
    publisher = BatchPublisher(config["AMQP_URI"], "catalog.events")
    publisher.publish_batch(
        [(e["type"].split(".")[1], e["id"], json.dumps(e), None) for e in envelopes]
    )
    publisher.close()


def effect_count(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(effects))


def started(service_cls, config, container_factory):
    """(engine, container): the service's tables made, its queues declared (as the
    platform declares them before anything publishes), its container started."""
    engine = make_engine(config[service_cls.name]["DATABASE_URL"])
    Base.metadata.create_all(engine)
    declare_all(config, [service_cls])
    container = container_factory(service_cls, config)
    container.start()
    return engine, container


def queue_depth(config, queue: str = QUEUE) -> int:
    with Connection(config["AMQP_URI"]) as conn:
        _, ready, _ = conn.default_channel.queue_declare(queue, passive=True)
        return ready


def test_a_repeated_event_is_applied_once(config, listener):
    _, engine = listener
    event = make_envelope("catalog", "title_created", "T000001", {"title": "x"})
    publish(config, event, event, event)
    assert wait_for(lambda: Listener.calls >= 3 and queue_depth(config) == 0)
    assert wait_for(lambda: effect_count(engine) == 1)
    eventlet.sleep(0.3)  # any late duplicate would have landed by now
    assert effect_count(engine) == 1
    assert list_parked(config["AMQP_URI"], "listener") == []


def test_an_always_failing_handler_parks_the_message_intact(config, listener):
    container, _ = listener
    Listener.failing = True
    event = make_envelope("catalog", "title_created", "T000002", {"title": "Sejarah Kerinci"})
    publish(config, event)
    parked = wait_for(lambda: list_parked(config["AMQP_URI"], "listener"))
    assert len(parked) == 1
    (message,) = parked
    assert json.loads(message.body) == event
    assert message.message_id == event["id"]
    assert message.original_queue == QUEUE
    assert message.attempts == config["HANDLER_MAX_ATTEMPTS"] == Listener.calls
    assert "RuntimeError: the read model is unavailable" in message.error
    container.stop()  # anything still unacked would return to the queue now
    assert queue_depth(config) == 0


def test_replay_sends_a_parked_message_back_to_its_handler(config, listener):
    _, engine = listener
    Listener.failing = True
    event = make_envelope("catalog", "title_created", "T000003", {"title": "x"})
    publish(config, event)
    assert wait_for(lambda: list_parked(config["AMQP_URI"], "listener"))
    Listener.failing = False  # the operator fixed the cause
    assert replay(config["AMQP_URI"], "listener", message_id="some-other-id") == 0
    assert replay(config["AMQP_URI"], "listener") == 1
    assert wait_for(lambda: effect_count(engine) == 1)
    assert list_parked(config["AMQP_URI"], "listener") == []


def test_a_body_that_is_not_an_envelope_is_parked_at_once(config, listener):
    with Connection(config["AMQP_URI"]) as conn:
        conn.Producer().publish(
            {"title": "no envelope"},
            exchange="catalog.events",
            routing_key="title_created",
            serializer="json",
        )
    (message,) = wait_for(lambda: list_parked(config["AMQP_URI"], "listener"))
    assert message.attempts == 0
    assert "BadEnvelope" in message.error
    assert Listener.calls == 0


def test_an_event_of_a_major_version_the_handler_does_not_read_is_parked(config, listener):
    event = make_envelope("catalog", "title_created", "T000004", {"title": "x"}, version=2)
    publish(config, event)
    (message,) = wait_for(lambda: list_parked(config["AMQP_URI"], "listener"))
    assert message.attempts == 0 and Listener.calls == 0
    assert "catalog.title_created/v2: this handler reads v1 only" in message.error


def test_data_the_handlers_schema_cannot_read_is_parked_with_the_field(config, listener):
    event = make_envelope("catalog", "title_created", "T000005", {"subtitle": "no title"})
    publish(config, event)
    (message,) = wait_for(lambda: list_parked(config["AMQP_URI"], "listener"))
    assert message.attempts == 0 and Listener.calls == 0
    assert "ValidationError" in message.error and "title" in message.error


def test_an_event_sent_straight_to_a_handlers_queue_is_parked_not_applied(config, listener):
    _, engine = listener
    forged = make_envelope("catalog", "title_created", "T000006", {"title": "Palsu"})
    with Connection(config["AMQP_URI"]) as conn:  # the default exchange: any client may
        conn.Producer().publish(
            json.dumps(forged), exchange="", routing_key=QUEUE, content_type="application/json"
        )
    (message,) = wait_for(lambda: list_parked(config["AMQP_URI"], "listener"))
    assert message.attempts == 0 and Listener.calls == 0
    assert "came through the default exchange, not catalog.events" in message.error


class Everything:
    """Hears every event of the services the configuration names (SERVICES)."""

    name = "everything"
    db = Database(Base)
    failing = False

    @every_event("SERVICES")
    def on_event(self, event):
        if type(self).failing:
            raise RuntimeError("cannot take it now")
        self.db.apply_once(event, record_effect, event)


def test_every_event_of_every_named_service_is_applied_once(
    config, database_url, container_factory
):
    Everything.failing = False
    config = {
        **config,
        "SERVICES": {"catalog": "x", "people": "y"},
        "everything": {"DATABASE_URL": database_url},
    }
    engine = make_engine(database_url)
    Base.metadata.create_all(engine)
    assert "evt-all--everything.on_event" in declare_all(config, [Everything])
    container_factory(Everything, config).start()
    title = make_envelope("catalog", "title_created", "T000009", {"title": "x"})
    enrolled = make_envelope("people", "staff_enrolled", "S000001", {"any": "thing"}, version=3)
    publish(config, title, title)
    publisher = BatchPublisher(config["AMQP_URI"], "people.events")
    publisher.publish_batch([("staff_enrolled", enrolled["id"], json.dumps(enrolled), None)])
    publisher.close()
    assert wait_for(lambda: effect_count(engine) == 2)
    eventlet.sleep(0.3)
    assert effect_count(engine) == 2
    with engine.connect() as conn:
        assert {r.subject for r in conn.execute(select(effects.c.subject))} == {
            "T000009",
            "S000001",
        }
    engine.dispose()


def test_every_event_parks_what_is_no_envelope_and_retries_failures(
    config, database_url, container_factory
):
    Everything.failing = True
    config = {**config, "SERVICES": {"catalog": "x"}, "everything": {"DATABASE_URL": database_url}}
    engine, _ = started(Everything, config, container_factory)
    publisher = BatchPublisher(config["AMQP_URI"], "catalog.events")
    publisher.publish_batch([("title_created", "not-an-envelope", json.dumps({"id": "x"}), None)])
    event = make_envelope("catalog", "title_created", "T000010", {"title": "x"})
    publisher.publish_batch([("title_created", event["id"], json.dumps(event), None)])
    publisher.close()
    parked = wait_for(lambda: len(p := list_parked(config["AMQP_URI"], "everything")) == 2 and p)
    reasons = sorted(m.error for m in parked)
    assert reasons[0].startswith("BadEnvelope") and "RuntimeError" in reasons[1]
    assert {m.attempts for m in parked} == {0, config["HANDLER_MAX_ATTEMPTS"]}
    engine.dispose()


def record_effects(session, events) -> None:
    if Grouped.failing or any(e["subject"] == Grouped.failing_subject for e in events):
        raise RuntimeError("cannot store now")
    Grouped.groups.append(len(events))
    session.execute(
        effects.insert(), [{"event_id": e["id"], "subject": e["subject"]} for e in events]
    )


class Grouped:
    """Applies every event in transactions shared by its handlers' workers: each
    event once by each of its two handlers."""

    name = "grouped"
    db = Database(Base)
    apply = GroupedApply(
        lambda config: record_effects,
        wanted=lambda session, events: [e for e in events if e["subject"] != "UNWANTED"],
    )
    failing = False
    failing_subject = None  # an event that cannot be applied, among others that can
    groups: list[int] = []  # how many events each transaction applied

    @every_event("SERVICES", into="apply")
    def on_event(self, event):
        """Applied by `apply`."""

    @event_handler(Consumes("catalog", "title_created", TitleSeen, versions=(1,)), into="apply")
    def on_title_created(self, event):
        """Applied by `apply`."""


def applied_by(engine) -> Counter:
    """How many events each handler recorded as applied."""
    table = Base.metadata.tables["applied_events"]
    with engine.connect() as conn:
        return Counter(conn.scalars(select(table.c.consumer)))


@pytest.fixture
def grouped(config, database_url, container_factory):
    Grouped.failing, Grouped.failing_subject, Grouped.groups = False, None, []
    config = {**config, "SERVICES": {"catalog": ""}, "grouped": {"DATABASE_URL": database_url}}
    engine, container = started(Grouped, config, container_factory)
    yield config, engine, container
    engine.dispose()


def test_grouped_handlers_apply_each_event_once(grouped):
    config, engine, _ = grouped
    events = [make_envelope("catalog", "title_created", f"T{n}", {"title": "x"}) for n in range(50)]
    publish(config, *events, *events[:10], events[0])
    assert wait_for(lambda: effect_count(engine) == 100)  # once by each handler
    eventlet.sleep(0.3)
    assert effect_count(engine) == 100
    assert applied_by(engine) == {"grouped.on_event": 50, "grouped.on_title_created": 50}


def test_events_that_come_one_by_one_within_the_gather_share_a_group(grouped):
    config, engine, _ = grouped
    publisher = BatchPublisher(config["AMQP_URI"], "catalog.events")
    # Apart by a tenth of the gather each: a group would else take each one alone.
    for n in range(5):
        event = make_envelope("catalog", "branch_updated", f"B{n}", {"code": "x"})
        publisher.publish_batch([("branch_updated", event["id"], json.dumps(event), None)])
        eventlet.sleep(Grouped.apply.gather_seconds / 10)
    publisher.close()
    assert wait_for(lambda: effect_count(engine) == 5)
    assert len(Grouped.groups) < 5 and sum(Grouped.groups) == 5


def test_an_event_nothing_wants_is_taken_and_nothing_written(grouped):
    config, engine, container = grouped
    unwanted = [make_envelope("catalog", "branch_updated", "UNWANTED", {"code": c}) for c in "xy"]
    wanted = make_envelope("catalog", "branch_updated", "B1", {"code": "x"})
    publish(config, *unwanted, wanted)
    assert wait_for(lambda: effect_count(engine) == 1)
    eventlet.sleep(0.3)  # the unwanted, handed over before the wanted one, are settled too
    container.stop()  # anything unacknowledged would return to the queue now
    waiting = queue_depth(config, "evt-all--grouped.on_event")
    assert waiting == 0
    assert applied_by(engine) == {"grouped.on_event": 1}
    assert list_parked(config["AMQP_URI"], "grouped") == []


def test_an_event_that_cannot_be_applied_fails_alone(grouped):
    config, engine, _ = grouped
    Grouped.failing_subject = "BAD"
    good = [make_envelope("catalog", "branch_updated", f"B{n}", {"code": "x"}) for n in range(30)]
    bad = make_envelope("catalog", "branch_updated", "BAD", {"code": "x"})
    publish(config, *good[:15], bad, *good[15:])
    (message,) = wait_for(lambda: list_parked(config["AMQP_URI"], "grouped"))
    assert json.loads(message.body)["subject"] == "BAD"
    assert message.attempts == config["HANDLER_MAX_ATTEMPTS"]
    assert wait_for(lambda: effect_count(engine) == 30)
    assert applied_by(engine) == {"grouped.on_event": 30}


def test_a_failing_group_fails_each_event_which_is_retried_then_parked(grouped):
    config, engine, _ = grouped
    Grouped.failing = True
    publish(config, make_envelope("catalog", "branch_updated", "B1", {"code": "x"}))
    (message,) = wait_for(lambda: list_parked(config["AMQP_URI"], "grouped"))
    assert message.attempts == config["HANDLER_MAX_ATTEMPTS"]
    assert "RuntimeError: cannot store now" in message.error
    assert effect_count(engine) == 0
