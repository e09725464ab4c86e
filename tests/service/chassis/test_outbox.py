"""The transactional outbox against the real broker, on SQLite and PostgreSQL, on the
example part (a service of the chassis' tests' own)."""

import json
import subprocess
import sys
import textwrap

import eventlet
import pytest
from sqlalchemy import event, func, select

from chassis.config import ROOT, database_url
from chassis.db import DatabaseSession, session_factories
from chassis.nameko.relay import Relay
from chassis.outbox import claim_batch
from tests.example_part import notes
from tests.example_part.models import Note, outbox_table
from tests.example_part.service import ExampleService
from tests.support import bodies


@pytest.fixture
def db(example_db):
    return example_db  # the same database example_config names (one database_url per test)


@pytest.fixture
def engine(db):
    return db.engine


def relay_for(engine, config):
    return Relay(engine, outbox_table, "example", config["AMQP_URI"], config)


def create(db, n=1):
    for i in range(n):
        with db.transaction() as session:
            notes.add_note(session, {"text": f"Catatan {i}"})


def unsent(db):
    with db.reading() as session:
        return session.execute(select(outbox_table).where(outbox_table.c.sent_at.is_(None))).all()


def test_relay_publishes_committed_events_once_and_marks_them_sent(
    db, engine, example_config, subscriber
):
    queue = subscriber.bind("example", "note_added")
    create(db, 3)
    relay = relay_for(engine, example_config)
    assert relay.relay_all() == 3
    assert relay.relay_all() == 0
    relay.close()
    got = bodies(subscriber.drain(queue, expect=3))
    assert [b["data"]["text"] for b in got] == ["Catatan 0", "Catatan 1", "Catatan 2"]
    assert unsent(db) == []


def test_no_event_for_a_rolled_back_change(db, engine, example_config, subscriber):
    queue = subscriber.bind("example")
    with pytest.raises(RuntimeError), db.transaction() as session:
        notes.add_note(session, {"text": "Never kept"})
        raise RuntimeError("the request failed after the write")
    relay = relay_for(engine, example_config)
    assert relay.relay_all() == 0
    relay.close()
    assert subscriber.drain(queue, expect=0, timeout=1) == []
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Note)) == 0


def test_event_committed_by_a_killed_process_is_published_after_restart(
    example_config, db, subscriber, container_factory
):
    """A process commits a note and dies (SIGKILL) before any relay runs; the
    service, started again, publishes the event."""
    queue = subscriber.bind("example", "note_added")
    url = database_url(example_config, "example")
    script = textwrap.dedent(f"""
        import os, signal
        from tests.example_part import notes
        from tests.example_part.models import Base
        from chassis.db import open_database
        db = open_database({url!r}, Base.metadata)
        with db.transaction() as session:
            notes.add_note(session, {{"text": "Committed, then killed"}})
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    child = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True)
    assert child.returncode == -9, child.stderr.decode()
    assert len(unsent(db)) == 1
    assert subscriber.drain(queue, expect=0, timeout=0.5) == []

    container = container_factory(ExampleService, example_config)
    container.start()
    (message,) = subscriber.drain(queue, expect=1)
    assert json.loads(message.body)["data"]["text"] == "Committed, then killed"
    assert unsent(db) == []


def test_a_dead_relays_claim_expires_and_another_relay_publishes(
    db, engine, example_config, subscriber
):
    queue = subscriber.bind("example", "note_added")
    create(db, 2)
    with engine.begin() as conn:  # relay A claims, then dies without publishing
        assert len(claim_batch(conn, outbox_table, "relay-a", 10, lease=0.2)) == 2
    relay_b = relay_for(engine, example_config)
    assert relay_b.relay_all() == 0  # A's lease still holds
    eventlet.sleep(0.3)
    assert relay_b.relay_all() == 2
    relay_b.close()
    assert len(subscriber.drain(queue, expect=2)) == 2


def test_concurrent_relays_share_the_work_without_duplicates(
    db, engine, example_config, subscriber
):
    queue = subscriber.bind("example", "note_added")
    create(db, 300)
    config = {**example_config, "OUTBOX_BATCH": 25}
    relays = [relay_for(engine, config) for _ in range(3)]
    sent = [eventlet.spawn(r.relay_all) for r in relays]
    assert sum(gt.wait() for gt in sent) == 300
    for r in relays:
        r.close()
    ids = [b["id"] for b in bodies(subscriber.drain(queue, expect=300))]
    assert len(ids) == len(set(ids)) == 300


def test_the_relay_claims_its_own_commits_by_id_and_searches_the_outbox_once_a_poll(
    db, engine, example_config, subscriber
):
    """What its process commits, the relay is told of and claims by key; the search
    through the whole outbox (on PostgreSQL, a walk over every row sent since the
    last vacuum) runs once per OUTBOX_POLL_SECONDS, and finds what another process
    committed."""
    queue = subscriber.bind("example", "note_added")
    relay = relay_for(engine, {**example_config, "OUTBOX_POLL_SECONDS": 0.5})
    told = DatabaseSession(
        session_factories(engine), db.metadata, lambda wrote, emitted: relay.committed(emitted)
    )
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    assert relay.relay_once() == 0  # the first run looks through the outbox: empty
    searches = lambda: sum("ORDER BY" in s for s in statements)  # noqa: E731
    assert searches() == 1
    create(told, 3)
    create(db, 1)  # as by another process: the relay is not told
    assert relay.relay_once() == 3 and relay.relay_once() == 0
    assert searches() == 1  # no search: its own three, claimed by key
    eventlet.sleep(0.6)
    assert relay.relay_once() == 1  # the search is due, and finds the other's
    assert relay.relay_once() == 0 and searches() == 2
    relay.close()
    texts = [b["data"]["text"] for b in bodies(subscriber.drain(queue, expect=4))]
    assert sorted(texts) == ["Catatan 0", "Catatan 0", "Catatan 1", "Catatan 2"]
    assert unsent(db) == []


def test_the_loop_goes_on_after_a_full_batch_and_waits_a_gather_after_a_partial_one(
    db, engine, example_config, subscriber
):
    """Background's loop runs `run_once` until it answers 0: a full batch may leave
    more waiting, a partial one took all there was, and what commits meanwhile waits
    for the next wake's gather. The batch published last is marked sent within a
    gather even if nothing wakes the loop."""
    queue = subscriber.bind("example", "note_added")
    relay = relay_for(engine, {**example_config, "OUTBOX_BATCH": 2})
    assert relay.poll_seconds == relay.search_seconds  # nothing published to mark
    create(db, 3)
    assert relay.run_once() == 2  # full: the loop goes on
    assert relay.poll_seconds == relay.gather_seconds  # two published, not yet marked
    assert relay.run_once() == 0  # the last one: the loop waits
    assert len(unsent(db)) == 1  # published, to be marked by the next run
    assert relay.run_once() == 0
    assert unsent(db) == [] and relay.poll_seconds == relay.search_seconds
    relay.close()
    assert len(subscriber.drain(queue, expect=3)) == 3


def test_a_claim_leases_no_more_events_than_its_limit(db, engine):
    """PostgreSQL ran a claim's limited, SKIP LOCKED subquery once per row it scanned
    and leased more than the limit (a whole backlog, after an outage)."""
    create(db, 5)
    with engine.begin() as conn:
        first = claim_batch(conn, outbox_table, "relay-a", 2, lease=30)
        rest = claim_batch(conn, outbox_table, "relay-b", 10, lease=30)
    assert [r.id for r in first] == [1, 2] and [r.id for r in rest] == [3, 4, 5]
