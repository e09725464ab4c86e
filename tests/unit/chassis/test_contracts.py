"""Service contracts as the code uses them: every event a service reads is one its
producer's contract declares, at a version it reads, with every field it relies on;
the outbox emits only declared events, stamped with their version."""

import importlib

import pytest
from marshmallow import Schema, fields
from sqlalchemy import MetaData
from sqlalchemy.orm import Session

from chassis.contract import Consumes, Contract, Event, incompatibilities
from chassis.db import DatabaseSession, session_factories
from chassis.outbox import Outbox
from chassis.tables import reliability_tables
from pustaka import platform


def consumed():
    for part in platform.services():
        for consumes in part.contract_module().CONTRACT.consumes:
            yield pytest.param(part.name, consumes, id=f"{part.name}<-{consumes.source}")


@pytest.mark.parametrize("consumer,consumes", list(consumed()))
def test_what_a_service_reads_its_producer_promises(consumer, consumes):
    producer = importlib.import_module(f"services.{consumes.source}.contract").CONTRACT
    event = producer.event(consumes.type)
    assert event.version in consumes.versions
    assert incompatibilities(consumes.schema, event.schema) == []


class Wanted(Schema):
    id = fields.String(required=True)
    count = fields.Integer(required=True)
    note = fields.String()


class Given(Schema):
    id = fields.String(required=True)
    count = fields.String(required=True)


def test_incompatibilities_name_each_broken_promise():
    assert incompatibilities(Wanted, Given) == ["count: a Integer here, a String there"]
    assert incompatibilities(Given, Wanted) == ["count: a String here, a Integer there"]
    assert incompatibilities(Wanted, Schema) == [
        "id: the producer has no such field",
        "count: the producer has no such field",
    ]


CONTRACT = Contract(service="notes", events=(Event("note_added", Given, version=3),))


def test_the_outbox_emits_only_declared_events_at_their_version(tmp_path):
    outbox = reliability_tables(MetaData()).outbox
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{tmp_path / 'o.db'}")
    outbox.metadata.create_all(engine)
    with Session(engine) as session, pytest.raises(RuntimeError, match="DatabaseSession"):
        Outbox(CONTRACT, outbox).emit(session, "note_added", "N1", {"id": "N1"})
    db = DatabaseSession(session_factories(engine), outbox.metadata)
    with db.transaction() as session:
        envelope = Outbox(CONTRACT, outbox).emit(session, "note_added", "N1", {"id": "N1"})
        assert envelope["dataschema"] == "notes.note_added/v3"
        with pytest.raises(LookupError, match="declares no event 'note_deleted'"):
            Outbox(CONTRACT, outbox).emit(session, "note_deleted", "N1", {})


def test_a_contract_names_what_it_lacks():
    with pytest.raises(LookupError, match="notes has no method 'nothing'"):
        CONTRACT.method("nothing")
    with pytest.raises(LookupError, match="no use of catalog.title_created"):
        Contract("x", consumes=(Consumes("a", "b", Given),)).consumed("catalog", "title_created")


@pytest.mark.parametrize("event_type", ["title.created", "Title_created", "title created", ""])
def test_an_event_type_is_one_word_the_broker_routes_by(event_type):
    # A queue that takes all of a service's events binds '*': one word each.
    with pytest.raises(ValueError, match="not one word"):
        Contract("catalog", events=(Event(event_type, Schema),))
    assert Contract("catalog", events=(Event("title_created", Schema),)).event("title_created")


def test_services_raise_only_the_chassis_error_classes():
    """A class of a service's own would reach the gateway as its nearest chassis
    class at best; each code a service means is a chassis class's, in one table."""
    import pkgutil

    import services
    from chassis import errors

    for module in pkgutil.walk_packages(services.__path__, "services."):
        if not module.name.startswith("chassis") and "migrations" not in module.name:
            importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    outside = [
        f"{c.__module__}.{c.__qualname__}"
        for c in subclasses(errors.DomainError)
        if c.__module__.startswith("services.") and c.__module__ != errors.__name__
    ]
    assert outside == []
