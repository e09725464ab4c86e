"""The demo season loaded on first run (and nothing again on a second), and every
event the service emits, in it and beyond, in its published contract: its data
validates against the schema there and names no participant (SQLite)."""

import datetime as dt
import time

import pytest

from chassis.context import SYSTEM
from services.events import calendar, demo, programmes, registrations
from services.events.contract import CONTRACT
from services.events.reminders import send_due_reminders

from .helpers import KMN, emitted, person, published, read, run

pytestmark = pytest.mark.parametrize("database_kind", ["sqlite"])


def every_page(db, fn, params, *args, **kwargs) -> list[str]:
    """The ids of what `fn` lists, a page at a time, following the cursors."""
    ids, cursor = [], None
    while True:
        answer = read(db, fn, {**params, "cursor": cursor}, *args, **kwargs)
        ids += [item["id"] for item in answer["items"]]
        if (cursor := answer["next_cursor"]) is None:
            return ids


def test_the_demo_season_read_a_page_at_a_time_gives_each_once(part_db):
    db = part_db("events")
    demo.load_demo(db)
    now = time.time()  # one clock for every page: the calendar starts today
    whole = read(db, calendar.calendar, {"limit": 200}, now=now)
    assert whole["next_cursor"] is None and len(whole["items"]) > 3
    in_pages = every_page(db, calendar.calendar, {"limit": 3}, now=now)
    assert in_pages == [o["id"] for o in whole["items"]]
    newest = read(db, programmes.list_programmes, {"limit": 200}, SYSTEM)["items"]
    in_pages = every_page(db, programmes.list_programmes, {"limit": 2}, SYSTEM)
    assert in_pages == [p["id"] for p in newest] and len(newest) > 2


def test_the_demo_season_and_every_event_in_the_contract(part_db):
    db = part_db("events")
    assert demo.load_demo(db) > 0
    assert demo.load_demo(db) == 0
    listed = read(db, programmes.list_programmes, {"limit": 50}, SYSTEM)["items"]
    assert {p["branch"] for p in listed} == {"SPN", "PDT", "KMN", "HRW", "PSB"}
    assert {"published", "completed"} <= {p["status"] for p in listed}
    held = [o for p in listed for o in p["occurrences"] if o["status"] == "completed"]
    assert held and any(o["waitlisted"] for p in listed for o in p["occurrences"])
    assert read(db, calendar.calendar, {"limit": 5})["items"]

    # The events the demo does not make: a change, a cancellation, a reminder.
    made = published(db, capacity=1, days=1)
    occurrence = made["occurrences"][0]["id"]
    first = run(db, registrations.register, occurrence, person(1), SYSTEM)["items"][0]
    run(db, registrations.register, occurrence, person(2), SYSTEM)
    run(db, registrations.cancel_registration, first["id"], KMN)
    run(db, programmes.change_occurrence, occurrence, {"room": "Aula"}, KMN)
    before = dt.datetime.fromisoformat(made["occurrences"][0]["starts_at"]).timestamp() - 60
    while run(db, send_due_reminders, before):  # a batch at a time, as the worker does
        pass
    run(db, programmes.transition, made["id"], {"to": "cancelled"}, KMN)

    seen = set()
    for envelope in emitted(db):
        event = CONTRACT.event(envelope["type"].split(".", 1)[1])
        assert envelope["dataschema"] == f"events.{event.type}/v{event.version}"
        assert event.schema().validate(envelope["data"]) == {}, envelope
        assert "Peserta" not in str(envelope["data"]) and "0812" not in str(envelope["data"])
        seen.add(event.type)
    assert seen == {e.type for e in CONTRACT.events}
