"""Where the database matters (SQLite, then PostgreSQL): 50 simultaneous
registrations for 10 seats are exactly 10 confirmed and 40 waitlisted, none lost and
none doubled, in one process (across two replicas of the service:
tests/service/events/test_replicas.py); and the month's figures, counted by the
database's grouping."""

import datetime as dt

import pytest
from sqlalchemy import select

from chassis.context import SYSTEM
from chassis.errors import Conflict, Forbidden, NotFound, ValidationFailed
from services.events import checkin, figures, programmes, registrations
from services.events.models import Occurrence

from .helpers import (
    KMN,
    SPN,
    at_once,
    emitted,
    new_partner,
    partner_key,
    person,
    published,
    read,
    run,
    statuses,
)


def test_fifty_register_at_once_for_ten_seats(events_db):
    occurrence = published(events_db, capacity=10)["occurrences"][0]["id"]

    def register(i):
        return lambda: run(events_db, registrations.register, occurrence, person(i), SYSTEM)

    answers = [a["items"][0] for a in at_once([register(i) for i in range(50)])]
    assert sorted(a["status"] for a in answers).count("confirmed") == 10
    assert statuses(events_db) == {"confirmed": 10, "waitlisted": 40}
    positions = sorted(a["waitlist_position"] for a in answers if a["status"] == "waitlisted")
    assert positions == list(range(1, 41))
    assert len({a["code"] for a in answers}) == 50
    confirmed = {e["data"]["registration_id"] for e in emitted(events_db, "registration_confirmed")}
    assert confirmed == {a["id"] for a in answers if a["status"] == "confirmed"}

    # The same person five times at once: one registration, four conflicts.
    def again():
        try:
            return run(events_db, registrations.register, occurrence, person(99), SYSTEM)
        except Conflict:
            return "conflict"

    assert sorted(map(str, at_once([again for _ in range(5)])))[:4] == ["conflict"] * 4
    assert statuses(events_db) == {"confirmed": 10, "waitlisted": 41}


def test_the_door_walk_ins_completion_and_the_months_figures(events_db):
    school = new_partner(events_db)
    programme = published(events_db, capacity=3, cohosts=[(school, 1)], days=1)
    occurrence = programme["occurrences"][0]["id"]
    a = run(events_db, registrations.register, occurrence, person(1), partner_key(school))
    b = run(events_db, registrations.register, occurrence, person(2), SYSTEM)
    run(events_db, registrations.register, occurrence, person(3), SYSTEM)
    d = run(events_db, registrations.register, occurrence, person(4), SYSTEM)
    code_a, code_d = a["items"][0]["code"], d["items"][0]["code"]
    with pytest.raises(Forbidden):
        read(events_db, checkin.lookup_code, code_a, SPN)
    with pytest.raises(NotFound):
        read(events_db, checkin.lookup_code, "ABCDEFGH", KMN)
    assert read(events_db, checkin.lookup_code, code_a, KMN)["name"] == "Peserta 1"
    assert run(events_db, checkin.check_in, code_a, KMN)["outcome"] == "checked_in"
    assert run(events_db, checkin.check_in, code_a, KMN)["outcome"] == "already_in"
    assert run(events_db, checkin.check_in, code_d, KMN)["outcome"] == "waitlisted"
    run(events_db, checkin.check_in, b["items"][0]["code"], KMN)
    run(events_db, checkin.walk_in, occurrence, {"age_group": "adult"}, KMN)
    assert len(emitted(events_db, "attendance_recorded")) == 3
    with pytest.raises(Forbidden):
        run(events_db, checkin.complete_occurrence, occurrence, SPN)
    # before it has started it cannot be completed: no survey for what has not happened
    starts = dt.datetime.fromisoformat(programme["occurrences"][0]["starts_at"]).timestamp()
    with pytest.raises(Conflict, match="once it has started"):
        run(events_db, checkin.complete_occurrence, occurrence, KMN, starts - 60)
    assert emitted(events_db, "event_completed") == []
    done = run(events_db, checkin.complete_occurrence, occurrence, KMN, starts + 60)
    assert done == {
        "occurrence_id": occurrence,
        "registered": 3,
        "attended": 3,
        "walk_ins": 1,
        "no_shows": 1,
    }
    (completed,) = emitted(events_db, "event_completed")
    assert completed["data"]["attendees"][:2] == [a["items"][0]["id"], b["items"][0]["id"]]
    # the walk-in came but left no contact: not one to send a survey to
    assert completed["data"]["invitable"] == completed["data"]["attendees"][:2]
    assert completed["data"]["partners"] == [school]
    with pytest.raises(Conflict):
        run(events_db, checkin.check_in, code_d, KMN)
    run(events_db, programmes.transition, programme["id"], {"to": "completed"}, KMN)

    with events_db.reading() as session:
        month = session.scalar(select(Occurrence.month))
    found = read(events_db, figures.figures, {"month": month}, KMN)["items"]
    assert found == [
        {
            "branch": "KMN",
            "month": month,
            "programmes_held": 1,
            "occurrences_held": 1,
            "registrations": 3,
            "attendance": 3,
            "walk_ins": 1,
            "no_shows": 1,
            "no_show_rate": round(1 / 3, 4),
            "waitlisted": 1,
            "by_audience": {"teens": 3},
            "by_partner": {school: 1},
        }
    ]
    with pytest.raises(Forbidden):
        read(events_db, figures.figures, {"month": month, "branch": "SPN"}, KMN)
    with pytest.raises(ValidationFailed):
        read(events_db, figures.figures, {"month": "2026-13"}, KMN)


def test_a_person_who_cancelled_registers_again_at_the_back_of_the_line(events_db):
    occurrence = published(events_db, capacity=1)["occurrences"][0]["id"]
    first, waiting = (
        run(events_db, registrations.register, occurrence, person(i), SYSTEM)["items"][0]
        for i in (1, 2)
    )
    with pytest.raises(Conflict) as twice:  # still registered: found by the locking query
        run(events_db, registrations.register, occurrence, person(1), SYSTEM)
    assert twice.value.details == {"occurrence_id": occurrence, "field": "contact"}
    run(events_db, registrations.cancel_registration, first["id"], KMN)  # the waitlist moves up
    again = run(events_db, registrations.register, occurrence, person(1), SYSTEM)["items"][0]
    assert again["id"] != first["id"] and again["status"] == "waitlisted"
    assert again["waitlist_position"] == 1
    listed = read(events_db, registrations.list_registrations, occurrence, KMN)["items"]
    assert sorted(r["id"] for r in listed) == sorted([waiting["id"], again["id"]])
    with pytest.raises(NotFound):  # the cancelled one made way for the new
        read(events_db, registrations.get_registration, first["id"], KMN)
