"""The transactional outbox against the real broker, on SQLite and PostgreSQL."""

import json
import subprocess
import sys
import textwrap

import eventlet
import pytest
from sqlalchemy import select

from services.catalog import titles
from services.catalog.models import outbox_table
from services.catalog.service import CatalogService
from services.chassis.config import ROOT, database_url
from services.chassis.context import Caller
from services.chassis.nameko.relay import Relay
from services.chassis.outbox import claim_batch
from tests.support import bodies

ADMIN = Caller("k-admin", "admin")


@pytest.fixture
def db(catalog_db):
    return catalog_db  # the same database catalog_config names (one database_url per test)


@pytest.fixture
def engine(db):
    return db.engine


def relay_for(engine, config):
    return Relay(engine, outbox_table, "catalog", config["AMQP_URI"], config)


def create(db, n=1):
    for i in range(n):
        with db.transaction() as session:
            titles.create_title(session, {"title": f"Buku {i}"}, ADMIN)


def unsent(db):
    with db.reading() as session:
        return session.execute(select(outbox_table).where(outbox_table.c.sent_at.is_(None))).all()


def test_relay_publishes_committed_events_once_and_marks_them_sent(
    db, engine, catalog_config, subscriber
):
    queue = subscriber.bind("catalog", "title_created")
    create(db, 3)
    relay = relay_for(engine, catalog_config)
    assert relay.relay_all() == 3
    assert relay.relay_all() == 0
    relay.close()
    got = bodies(subscriber.drain(queue, expect=3))
    assert [b["data"]["title"] for b in got] == ["Buku 0", "Buku 1", "Buku 2"]
    assert unsent(db) == []


def test_no_event_for_a_rolled_back_change(db, engine, catalog_config, subscriber):
    queue = subscriber.bind("catalog")
    with pytest.raises(RuntimeError), db.transaction() as session:
        titles.create_title(session, {"title": "Never kept"}, ADMIN)
        raise RuntimeError("the request failed after the write")
    relay = relay_for(engine, catalog_config)
    assert relay.relay_all() == 0
    relay.close()
    assert subscriber.drain(queue, expect=0, timeout=1) == []
    with db.reading() as session:
        assert titles.search_titles(session, {})["total"] == 0


def test_event_committed_by_a_killed_process_is_published_after_restart(
    catalog_config, db, subscriber, container_factory
):
    """A process commits a title and dies (SIGKILL) before any relay runs; the
    service, started again, publishes the event."""
    queue = subscriber.bind("catalog", "title_created")
    url = database_url(catalog_config, "catalog")
    script = textwrap.dedent(f"""
        import os, signal
        from services.catalog import titles
        from services.catalog.models import Base
        from services.chassis.context import Caller
        from services.chassis.db import open_database
        db = open_database({url!r}, Base.metadata)
        with db.transaction() as session:
            payload = {{"title": "Committed, then killed"}}
            titles.create_title(session, payload, Caller("k", "admin"))
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    child = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True)
    assert child.returncode == -9, child.stderr.decode()
    assert len(unsent(db)) == 1
    assert subscriber.drain(queue, expect=0, timeout=0.5) == []

    container = container_factory(CatalogService, catalog_config)
    container.start()
    (message,) = subscriber.drain(queue, expect=1)
    assert json.loads(message.body)["data"]["title"] == "Committed, then killed"
    assert unsent(db) == []


def test_a_dead_relays_claim_expires_and_another_relay_publishes(
    db, engine, catalog_config, subscriber
):
    queue = subscriber.bind("catalog", "title_created")
    create(db, 2)
    with engine.begin() as conn:  # relay A claims, then dies without publishing
        assert len(claim_batch(conn, outbox_table, "relay-a", 10, lease=0.2)) == 2
    relay_b = relay_for(engine, catalog_config)
    assert relay_b.relay_all() == 0  # A's lease still holds
    eventlet.sleep(0.3)
    assert relay_b.relay_all() == 2
    relay_b.close()
    assert len(subscriber.drain(queue, expect=2)) == 2


def test_concurrent_relays_share_the_work_without_duplicates(
    db, engine, catalog_config, subscriber
):
    queue = subscriber.bind("catalog", "title_created")
    create(db, 300)
    config = {**catalog_config, "OUTBOX_BATCH": 25}
    relays = [relay_for(engine, config) for _ in range(3)]
    sent = [eventlet.spawn(r.relay_all) for r in relays]
    assert sum(gt.wait() for gt in sent) == 300
    for r in relays:
        r.close()
    ids = [b["id"] for b in bodies(subscriber.drain(queue, expect=300))]
    assert len(ids) == len(set(ids)) == 300
