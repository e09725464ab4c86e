"""Programmes, series, registrations, quotas, reminders and the door, on the domain
directly, on SQLite (where PostgreSQL matters, concurrency and the figures, see
test_concurrency.py)."""

import datetime as dt
import time

import pytest
from sqlalchemy import update

from chassis.context import SYSTEM
from chassis.errors import Conflict, Forbidden, NotFound, ValidationFailed
from services.events import calendar, partners, programmes, registrations
from services.events.models import Occurrence, Registration
from services.events.reminders import release_quotas, send_due_reminders
from services.events.times import local, today

from .helpers import (
    INTEGRATOR,
    KMN,
    SPN,
    emitted,
    new_partner,
    partner_key,
    person,
    programme_payload,
    published,
    read,
    run,
)

pytestmark = pytest.mark.parametrize("database_kind", ["sqlite"])


def test_a_series_until_a_utc_time_as_calendar_apps_write_it(events_db):
    payload = programme_payload(rrule="FREQ=WEEKLY;COUNT=1")
    first = dt.datetime.fromisoformat(payload["schedule"]["starts_at"])  # WIB, UTC+7
    last_in_utc = (first + dt.timedelta(weeks=2, hours=-7)).strftime("%Y%m%dT%H%M%SZ")
    payload["schedule"]["rrule"] = f"FREQ=WEEKLY;UNTIL={last_in_utc}"
    made = run(events_db, programmes.create_programme, payload, KMN)
    assert len(made["occurrences"]) == 3
    assert made["schedule"]["rrule"].endswith(last_in_utc)  # kept as written


def test_a_series_from_its_rrule_moved_and_cancelled_one_at_a_time(events_db):
    made = run(
        events_db,
        programmes.create_programme,
        programme_payload(rrule="FREQ=WEEKLY;BYDAY=SA;COUNT=4", presenter={"staff_id": "S000003"}),
        KMN,
    )
    assert made["status"] == "draft" and len(made["occurrences"]) == 4
    assert all(o["starts_at"].endswith("+07:00") for o in made["occurrences"])
    saturdays = {dt.datetime.fromisoformat(o["starts_at"]).weekday() for o in made["occurrences"]}
    assert saturdays == {5}
    assert emitted(events_db) == []  # a draft tells no one
    # Another branch may not touch it; a bad rule or an unknown presenter changes nothing.
    with pytest.raises(Forbidden):
        run(events_db, programmes.transition, made["id"], {"to": "published"}, SPN)
    for bad, field in (
        ({"schedule": {**made["schedule"], "rrule": "FREQ=WEEKLY"}}, "schedule.rrule"),
        ({"schedule": {**made["schedule"], "rrule": "FREQ=SOMETIMES;COUNT=2"}}, "schedule.rrule"),
        ({"presenter": {"staff_id": "S999999"}}, "presenter.staff_id"),
        ({"branch": "XYZ"}, "branch"),
        ({"capacity": "3"}, "capacity"),  # a number, not a string that looks like one
        ({"schedule": {**made["schedule"], "duration_minutes": "90"}}, "schedule"),
    ):
        with pytest.raises(ValidationFailed) as err:
            run(events_db, programmes.replace_programme, made["id"], programme_payload(**bad), KMN)
        assert field in err.value.details["fields"], err.value.details
    published_ = run(events_db, programmes.transition, made["id"], {"to": "published"}, KMN)
    (event,) = emitted(events_db, "programme_published")
    assert event["data"]["programme_id"] == made["id"] and event["data"]["occurrences"] == 4
    assert event["data"]["suggestion_id"] is None
    with pytest.raises(Conflict):
        run(events_db, programmes.replace_programme, made["id"], programme_payload(), KMN)

    second, third = published_["occurrences"][1:3]
    moved_to = dt.datetime.fromisoformat(second["starts_at"]).replace(tzinfo=None, hour=15)
    moved = run(
        events_db,
        programmes.change_occurrence,
        second["id"],
        {"starts_at": moved_to.isoformat()},
        KMN,
    )
    assert moved["starts_at"].startswith(moved_to.isoformat()) and moved["sequence"] == 1
    run(events_db, registrations.register, third["id"], person(1), SYSTEM)
    cancelled = run(
        events_db, programmes.change_occurrence, third["id"], {"status": "cancelled"}, KMN
    )
    assert cancelled["status"] == "cancelled"
    told = emitted(events_db, "registration_cancelled")
    assert [e["data"]["occurrence_id"] for e in told] == [third["id"]]
    assert len(emitted(events_db, "programme_changed")) == 2
    feed = read(events_db, calendar.calendar_feed, "KMN")["ical"]
    assert f"UID:{third['id']}@" in feed and "STATUS:CANCELLED" in feed
    assert "SEQUENCE:1" in feed and "DTSTART;TZID=Asia/Jakarta:" in feed
    with pytest.raises(NotFound):
        read(events_db, calendar.calendar_feed, "XYZ")


def test_registration_capacity_waitlist_duplicates_and_promotion(events_db):
    programme = published(events_db, capacity=2)
    occurrence = programme["occurrences"][0]["id"]
    answers = [
        run(events_db, registrations.register, occurrence, person(i), SYSTEM)["items"][0]
        for i in range(4)
    ]
    assert [a["status"] for a in answers] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert [a["waitlist_position"] for a in answers[2:]] == [1, 2]
    assert all(len(a["code"]) == 8 for a in answers)
    with pytest.raises(Conflict):  # the same person twice, spelled another way
        run(
            events_db,
            registrations.register,
            occurrence,
            {"name": " peserta 1 ", "contact": "+62 812 7400 0001"},
            SYSTEM,
        )
    with pytest.raises(ValidationFailed):
        run(events_db, registrations.register, occurrence, {"name": "X"}, SYSTEM)
    with pytest.raises(NotFound):
        run(events_db, registrations.register, "OCC9999999", person(9), SYSTEM)
    # Contacts: the branch sees them; another branch and integrators may not look.
    listed = read(events_db, registrations.list_registrations, occurrence, KMN)["items"]
    assert listed[0]["contact"] == "+6281274000000"  # in its one spelling
    for caller in (SPN, INTEGRATOR):
        with pytest.raises(Forbidden):
            read(events_db, registrations.get_registration, answers[0]["id"], caller)
    public = read(events_db, registrations.public_registration, answers[0]["code"].lower())
    assert "contact" not in public and "name" not in public

    run(events_db, registrations.cancel_registration, answers[0]["id"], KMN)
    (promoted,) = emitted(events_db, "waitlist_promoted")
    assert promoted["data"]["registration_id"] == answers[2]["id"]
    assert (
        read(events_db, registrations.get_registration, answers[3]["id"], KMN)["waitlist_position"]
        == 1
    )
    with pytest.raises(Conflict):
        run(events_db, registrations.cancel_registration, answers[0]["id"], KMN)
    for envelope in emitted(events_db):
        assert "Peserta" not in str(envelope) and "812740000" not in str(envelope)


def test_partner_seats_go_to_its_people_first_and_return_at_the_release_time(events_db):
    school = new_partner(events_db)
    other = new_partner(events_db, "SD Negeri 4 Sungai Penuh")
    lapsed = new_partner(events_db, "SMP Negeri 2 Kerinci", today() - dt.timedelta(days=1))
    with pytest.raises(Conflict):
        run(
            events_db,
            programmes.create_programme,
            programme_payload(cohosts=[(lapsed, 2)]),
            KMN,
        )
    programme = published(events_db, capacity=4, cohosts=[(school, 2)], days=10)
    occurrence = programme["occurrences"][0]["id"]
    public = [
        run(events_db, registrations.register, occurrence, person(i), SYSTEM)["items"][0]
        for i in range(3)
    ]
    assert [a["status"] for a in public] == ["confirmed", "confirmed", "waitlisted"]
    own = run(events_db, registrations.register, occurrence, person(10), partner_key(school))
    assert own["items"][0]["status"] == "confirmed"
    assert own["items"][0]["partner_id"] == school
    with pytest.raises(Forbidden):  # not a co-host of this programme
        run(events_db, registrations.register, occurrence, person(11), partner_key(other))
    # The partner sees its own people, without contacts; not the public's.
    mine = read(events_db, registrations.list_registrations, occurrence, partner_key(school))
    assert [r["id"] for r in mine["items"]] == [own["items"][0]["id"]]
    assert "contact" not in mine["items"][0]
    with pytest.raises(Forbidden):
        read(events_db, registrations.get_registration, public[0]["id"], partner_key(school))
    with pytest.raises(Forbidden):
        read(events_db, partners.get_partner, other, partner_key(school))

    # Release time: the partner's one seat left goes to the first waiting.
    run(events_db, release_quotas, dt.datetime.now().timestamp(), 24)
    assert emitted(events_db, "waitlist_promoted") == []
    now = dt.datetime.now().timestamp()
    with events_db.transaction() as session:  # 23 hours to go: past the 24 hours' release
        session.execute(update(Occurrence).values(starts_at=now + 23 * 3600))
    run(events_db, release_quotas, now, 24)
    (promoted,) = emitted(events_db, "waitlist_promoted")
    assert promoted["data"]["registration_id"] == public[2]["id"]


def test_reminders_are_sent_once_when_due(events_db):
    programme = published(events_db, days=2)
    occurrence = programme["occurrences"][0]["id"]
    run(events_db, registrations.register, occurrence, person(1), SYSTEM, reminder_hours=24)
    now = dt.datetime.now().timestamp()
    assert run(events_db, send_due_reminders, now) == 0
    # a minute past 24 hours before the start (whatever the time of day the test runs)
    starts = dt.datetime.fromisoformat(programme["occurrences"][0]["starts_at"]).timestamp()
    later = starts - 86400 + 60
    assert run(events_db, send_due_reminders, later - 120) == 0
    assert run(events_db, send_due_reminders, later) == 1
    assert run(events_db, send_due_reminders, later) == 0
    (reminder,) = emitted(events_db, "reminder_due")
    assert reminder["data"]["title"] == programme["title"]


def test_cancelling_a_programme_tells_each_registrant(events_db):
    programme = published(events_db, rrule="FREQ=DAILY;COUNT=2")
    first, second = (o["id"] for o in programme["occurrences"])
    run(events_db, registrations.register, first, {**person(1), "scope": "series"}, SYSTEM)
    run(events_db, registrations.register, second, person(2), SYSTEM)
    run(
        events_db,
        programmes.transition,
        programme["id"],
        {"to": "cancelled", "reason": "Banjir"},
        KMN,
    )
    told = emitted(events_db, "registration_cancelled")
    assert len(told) == 3 and {e["data"]["reason"] for e in told} == {"Banjir"}
    (cancelled,) = emitted(events_db, "programme_cancelled")
    assert cancelled["data"]["registrations"] == 3
    with pytest.raises(Conflict):
        run(events_db, registrations.register, first, person(3), SYSTEM)
    with events_db.reading() as session:
        assert session.query(Registration).filter_by(status="confirmed").count() == 0


def test_a_programme_idea_becomes_one_draft_carrying_its_suggestion(events_db):
    idea = {
        "suggestion_id": "SUG000007",
        "kind": "programme",
        "title": "Klub baca puisi untuk remaja",
        "branch": "KMN",
        "programme_type": "book_discussion",
        "audience": "teens",
    }
    for _ in range(2):
        run(events_db, programmes.suggestion_approved, idea)
    run(
        events_db,
        programmes.suggestion_approved,
        {**idea, "suggestion_id": "S8", "kind": "collection"},
    )
    drafts = read(events_db, programmes.list_programmes, {"status": "draft"}, KMN)["items"]
    assert [(d["title"], d["suggestion_id"]) for d in drafts] == [(idea["title"], "SUG000007")]
    draft = drafts[0]
    with pytest.raises(Conflict):  # no schedule yet
        run(events_db, programmes.transition, draft["id"], {"to": "published"}, KMN)
    payload = programme_payload(title=idea["title"])
    run(events_db, programmes.replace_programme, draft["id"], payload, KMN)
    run(events_db, programmes.transition, draft["id"], {"to": "published"}, KMN)
    (event,) = emitted(events_db, "programme_published")
    assert event["data"]["suggestion_id"] == "SUG000007"
    assert read(events_db, programmes.list_programmes, {"status": "draft"}, SPN)["items"] == []


def test_registration_keeps_to_its_window_and_a_draft_to_its_branch(events_db):
    opens = local(time.time() + 86400).replace(tzinfo=None, microsecond=0)  # WIB, as given
    programme = published(events_db, registration_opens=opens.isoformat())
    occurrence = programme["occurrences"][0]["id"]
    assert programme["occurrences"][0]["registration_open"] is False
    with pytest.raises(Conflict) as err:
        run(events_db, registrations.register, occurrence, person(1), SYSTEM)
    assert "registration_opens" in err.value.details
    draft = run(events_db, programmes.create_programme, programme_payload(), KMN)
    assert draft["occurrences"][0]["registration_open"] is False
    with pytest.raises(Forbidden):
        read(events_db, programmes.get_programme, draft["id"], SPN)
    with pytest.raises(NotFound):
        read(events_db, programmes.public_programme, draft["id"])
    with pytest.raises(Conflict):  # a draft's occurrence takes no one yet
        run(events_db, registrations.register, draft["occurrences"][0]["id"], person(2), SYSTEM)
    with pytest.raises(ValidationFailed):
        run(
            events_db,
            programmes.create_programme,
            programme_payload(capacity=2, cohosts=[(new_partner(events_db), 3)]),
            KMN,
        )


def test_an_occurrence_that_has_started_is_listed_but_not_offered_as_open(events_db):
    # From the test's own clock: a sitting that began a minute or two ago and the next
    # an hour after it, whatever the hour or the date (the range may span two days).
    now = time.time()
    begun = local(now - 60).replace(tzinfo=None, second=0, microsecond=0)
    payload = programme_payload(rrule="FREQ=HOURLY;COUNT=2")
    payload["schedule"]["starts_at"] = begun.isoformat()
    made = run(events_db, programmes.create_programme, payload, KMN)
    run(events_db, programmes.transition, made["id"], {"to": "published"}, KMN)
    days = {"start": begun.date(), "end": (begun + dt.timedelta(hours=1)).date()}
    span = {k: v.isoformat() for k, v in days.items()}
    listed = read(events_db, calendar.calendar, {**span, "branch": "KMN"}, now=now)["items"]
    # still scheduled (it is held until the branch completes it), but not open
    assert [(o["status"], o["registration_open"]) for o in listed] == [
        ("scheduled", False),
        ("scheduled", True),
    ]
    started, ahead = (o["id"] for o in listed)
    shown = read(events_db, programmes.public_programme, made["id"])
    assert [o["registration_open"] for o in shown["occurrences"]] == [False, True]
    # registering keeps to the same rule
    with pytest.raises(Conflict, match="has started"):
        run(events_db, registrations.register, started, person(1), SYSTEM)
    series = run(events_db, registrations.register, ahead, {**person(2), "scope": "series"}, SYSTEM)
    assert [r["occurrence_id"] for r in series["items"]] == [ahead]
