"""The unit of work's sessions, on SQLite and PostgreSQL, on a small schema of the
chassis' own: a reading session cannot write, an event is applied once, and the
caller of the unit of work rides on every event it emits."""

import json

import pytest
from marshmallow import Schema, fields
from sqlalchemy import Column, Integer, String, func, insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Session

from chassis.contract import Contract, Event
from chassis.db import REPEAT, ReadOnlySession, insert_at_end
from chassis.envelope import make_envelope
from chassis.errors import Conflict, Unprocessable
from chassis.outbox import Outbox
from chassis.tables import reliability_tables
from tests.support import database_of


class Base(DeclarativeBase):
    pass


outbox, applied, answered = reliability_tables(Base.metadata)


class Note(Base):
    __tablename__ = "notes"
    id = Column(Integer, primary_key=True)
    text = Column(String(50))


@pytest.fixture
def db(database_url):
    with database_of(database_url, Base.metadata) as db:
        db.consumer = "notes.on_event"
        yield db


def notes(db) -> list[str]:
    with db.reading() as session:
        return session.scalars(select(Note.text).order_by(Note.id)).all()


def test_a_reading_session_refuses_orm_writes(db):
    with pytest.raises(ReadOnlySession), db.reading() as session:
        session.add(Note(text="lost"))
        session.flush()
    assert notes(db) == []


def test_a_reading_session_refuses_statements_that_write(db):
    with pytest.raises(DBAPIError, match="(?i)read.only|readonly"), db.reading() as session:
        session.execute(insert(Note).values(text="lost"))
    assert notes(db) == []
    with db.transaction() as session:  # the same pooled connection writes again after
        session.add(Note(text="kept"))
    assert notes(db) == ["kept"]


def add_note(session, text: str) -> str:
    session.add(Note(text=text))
    return text


def test_a_one_statement_read_runs_one_select_alone_and_nothing_else(db):
    with db.transaction() as session:
        session.add_all([Note(text="satu"), Note(text="dua")])
    by_id = select(Note.text).order_by(Note.id)
    assert db.read_one("notes", lambda reader: reader.execute(by_id).scalars().all()) == [
        "satu",
        "dua",
    ]
    with pytest.raises(TypeError, match="one SELECT"):
        db.read_one("notes", lambda reader: [reader.execute(by_id), reader.execute(by_id)])
    with pytest.raises(TypeError, match="one SELECT"):
        db.read_one("notes", lambda reader: reader.execute(insert(Note).values(text="lost")))
    assert notes(db) == ["satu", "dua"]
    if db.engine.dialect.name == "postgresql":
        # No BEGIN before it: the statement is its transaction, begun as it began.
        alone = select(func.now() == func.statement_timestamp())
        assert db.read_one("notes", lambda reader: reader.execute(alone).scalar()) is True
        with db.reading() as session:
            assert session.execute(alone).scalar() is False
        # The connection goes back to the pool as it came: a transaction on it is one.
        with db.transaction() as session:
            session.add(Note(text="tiga"))
            ids = [session.scalar(text("SELECT txid_current()")) for _ in range(2)]
        assert ids[0] == ids[1] and notes(db) == ["satu", "dua", "tiga"]


def test_apply_once_runs_the_effect_once_and_says_so_on_a_repeat(db):
    event = make_envelope("catalog", "title_created", "T000001", {})
    assert db.apply_once(event, add_note, "once") == "once"
    assert db.apply_once(event, add_note, "twice") is REPEAT
    assert notes(db) == ["once"]
    other = make_envelope("catalog", "title_created", "T000002", {})
    assert db.apply_once(other, add_note, "another") == "another"


def test_a_failed_effect_leaves_the_event_to_be_applied_again(db):
    event = make_envelope("catalog", "title_created", "T000003", {})

    def failing(session):
        add_note(session, "half")
        raise RuntimeError("the effect failed")

    with pytest.raises(RuntimeError):
        db.apply_once(event, failing)
    assert db.apply_once(event, add_note, "whole") == "whole"
    assert notes(db) == ["whole"]


def test_events_carry_the_caller_of_their_unit_of_work(db):
    schema = Schema.from_dict({"text": fields.String()})
    events = Outbox(Contract("notes", events=(Event("note_added", schema),)), outbox)
    caller = {"client_id": "k-kmn", "role": "branch", "branch": "KMN", "partner": None}
    with db.acting_as(caller).transaction() as session:
        events.emit(session, "note_added", "N1", {"text": "x"})
    with db.transaction() as session:  # a unit of work of the platform itself
        events.emit(session, "note_added", "N2", {"text": "y"})
    with db.reading() as session:
        rows = session.execute(select(outbox.c.context).order_by(outbox.c.id)).scalars().all()
    assert [json.loads(r) if r else None for r in rows] == [caller, None]


def noted_once(db, request_id: str, text: str):
    """A request adding a note, as a @write entrypoint runs it: once per request id."""
    return db.acting_as(None, request_id).write_once(
        "add_note", [text], lambda s: add_note(s, text)
    )


def refusing_twice(session, text: str) -> str:
    """An effect that sees its own first run, as most do: a second one is refused."""
    if session.scalar(select(Note.id).where(Note.text == text)) is not None:
        raise Conflict(f"{text} is there already.")
    return add_note(session, text)


def test_a_request_made_again_is_answered_from_its_record_and_done_once(db):
    assert noted_once(db, "k1:a", "once") == "once"
    assert noted_once(db, "k1:a", "once") == "once"
    retried = db.acting_as(None, "k1:b")
    assert retried.write_once("add", ["b"], lambda s: refusing_twice(s, "b")) == "b"
    # its effect, run again, refuses: the first answer is the answer all the same
    assert retried.write_once("add", ["b"], lambda s: refusing_twice(s, "b")) == "b"
    assert notes(db) == ["once", "b"]
    with pytest.raises(Conflict):  # a request of its own is refused as it would be
        db.acting_as(None, "k1:c").write_once("add", ["b"], lambda s: refusing_twice(s, "b"))


def test_a_request_id_used_for_another_request_is_refused_and_nothing_done(db):
    noted_once(db, "k1:d", "first")
    with pytest.raises(Unprocessable):
        noted_once(db, "k1:d", "other")
    assert notes(db) == ["first"]


@pytest.mark.parametrize("database_kind", [pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_a_connection_the_database_dropped_costs_no_request(db):
    """No ping before each use: the request that meets a dropped connection is made
    again on a new one, and so is a read."""
    assert noted_once(db, "k1:e", "before") == "before"
    with db.engine.connect() as conn:  # every other session of this database ends
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    assert noted_once(db, "k1:f", "after") == "after"
    assert db.read("notes", lambda s: s.scalars(select(Note.text).order_by(Note.id)).all()) == [
        "before",
        "after",
    ]


NOTES = Outbox(
    Contract("notes", events=(Event("note_added", Schema.from_dict({"text": fields.String()})),)),
    outbox,
)


def test_a_requests_events_and_its_answer_are_stored_together_at_its_end_once(db):
    """The events a write emits and its answer are stored as its transaction ends (on
    PostgreSQL in one statement): both, or, for a request made again, neither."""

    def add_and_tell(session, text):
        NOTES.emit_many(session, [("note_added", text, {"text": text})] * 2)
        return add_note(session, text)

    request = db.acting_as(None, "k1:g")
    assert request.write_once("add", ["tiga"], lambda s: add_and_tell(s, "tiga")) == "tiga"
    assert request.write_once("add", ["tiga"], lambda s: add_and_tell(s, "tiga")) == "tiga"
    with db.reading() as session:
        stored = session.scalars(select(outbox.c.event_type)).all()
        answers = session.scalars(select(answered.c.result)).all()
    assert stored == ["note_added", "note_added"] and answers == ['"tiga"']
    assert notes(db) == ["tiga"]


class Count(Base):
    __tablename__ = "counts"
    name = Column(String(20), primary_key=True)
    count = Column(Integer, nullable=False)


ADD_ONE = "ON CONFLICT (name) DO UPDATE SET count = counts.count + excluded.count"


def counts(db) -> dict:
    with db.reading() as session:
        return dict(session.execute(select(Count.name, Count.count)).all())


def test_rows_kept_for_the_end_are_inserted_with_the_events_or_before_a_query(db):
    """insert_at_end: the rows go in with the events and the answer (on PostgreSQL the
    same statement), upserts adding up; a query before the end has them first, so it
    reads them; a failed write keeps none; outside a transaction or in a savepoint,
    refused."""
    request = db.acting_as(None, "k2:g")

    def count_twice(session):
        insert_at_end(session, Count.__table__, [{"name": "a", "count": 1}], ADD_ONE)
        insert_at_end(session, Note.__table__, [{"id": 7, "text": "tujuh"}])
        NOTES.emit(session, "note_added", "N7", {"text": "tujuh"})
        return "ok"

    assert request.write_once("count", [], count_twice) == "ok"
    assert request.write_once("count", [], count_twice) == "ok"  # answered: not again
    with db.transaction() as session:
        insert_at_end(session, Count.__table__, [{"name": "a", "count": 2}], ADD_ONE)
    assert counts(db) == {"a": 3} and notes(db) == ["tujuh"]
    with db.transaction() as session:  # a query reads what was kept for the end
        insert_at_end(session, Count.__table__, [{"name": "a", "count": 1}], ADD_ONE)
        assert session.scalar(select(Count.count).where(Count.name == "a")) == 4
        insert_at_end(session, Count.__table__, [{"name": "b", "count": 1}], ADD_ONE)
    assert counts(db) == {"a": 4, "b": 1}
    with pytest.raises(Conflict), db.transaction() as session:
        insert_at_end(session, Count.__table__, [{"name": "a", "count": 5}], ADD_ONE)
        raise Conflict("refused")
    assert counts(db) == {"a": 4, "b": 1}
    refused = pytest.raises(RuntimeError, match="outside any savepoint")
    with refused, db.transaction() as session, session.begin_nested():
        insert_at_end(session, Count.__table__, [{"name": "c", "count": 1}], ADD_ONE)
    outside = pytest.raises(RuntimeError, match="in a DatabaseSession.transaction")
    with outside, db.engine.connect() as conn:
        insert_at_end(Session(conn), Count.__table__, [{"name": "c", "count": 1}])
    assert counts(db) == {"a": 4, "b": 1}


def test_an_event_is_emitted_outside_any_savepoint(db):
    """A savepoint rolled back would not take back an event stored at the end."""
    refused = pytest.raises(RuntimeError, match="outside any savepoint")
    with refused, db.transaction() as session, session.begin_nested():
        NOTES.emit(session, "note_added", "N3", {"text": "z"})
    with db.reading() as session:
        assert session.scalars(select(outbox.c.id)).all() == []
