"""Community programmes over HTTP, on the whole platform (SQLite: the database's part
is tested in tests/domain/events): the demo's season and its feeds, a programme
from plan to completion with a partner's seats, retries and duplicates, who sees whose
people, and a community idea from feedback drafted once and published."""

import datetime as dt
import json

import pytest
from icalendar import Calendar

from chassis.envelope import make_envelope
from chassis.nameko.publisher import BatchPublisher
from services.events.times import WIB
from tests.platform import on_the_shared_platform
from tests.support import Subscriber, client_at, wait_for

platform = on_the_shared_platform()


@pytest.fixture(scope="module")
def keys(platform):
    return {
        "kmn": platform.new_key("Cabang Kumun Debai", "branch", "--branch", "KMN"),
        "school": platform.new_key("SD Negeri 4 Sungai Penuh", "partner", "--partner", "PTN0003"),
        "iain": platform.new_key("IAIN Kerinci", "partner", "--partner", "PTN0001"),
    }


@pytest.fixture(scope="module")
def subscriber(platform):
    made = Subscriber(platform.env["AMQP_URI"])
    yield made
    made.close()


def test_the_demo_season_is_on_the_calendar_and_in_the_feeds(platform):
    today = dt.date.today()
    now = dt.datetime.now(dt.UTC)  # before the answer: what began by now began by then
    since = {"start": (today - dt.timedelta(days=60)).isoformat(), "limit": 200}
    found = platform.get("/v1/events", key="", params=since).json()["items"]
    assert {"SPN", "KMN", "PDT", "HRW", "PSB"} == {o["branch"] for o in found}
    assert {"completed", "scheduled"} <= {o["status"] for o in found}
    # whatever has begun (held, or being held) is not offered for registration
    begun = [o for o in found if dt.datetime.fromisoformat(o["starts_at"]) <= now]
    assert begun and not any(o["registration_open"] for o in begun)
    assert any(o["registration_open"] for o in found if o not in begun)
    kmn = platform.get("/v1/events", key="", params={"branch": "KMN", "audience": "children"})
    assert kmn.ok and {o["branch"] for o in kmn.json()["items"]} == {"KMN"}
    assert platform.get("/v1/events", key="", params={"audience": "pets"}).status_code == 400
    feed = platform.get("/v1/events/branches/KMN/calendar.ics", key="")
    assert feed.headers["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(feed.content)
    events = calendar.walk("VEVENT")
    assert events and all(str(e["UID"]).startswith("OCC") for e in events)
    assert all(e.decoded("DTSTART").tzinfo is not None for e in events)
    assert platform.get("/v1/events/branches/XYZ/calendar.ics", key="").status_code == 404
    month = (today - dt.timedelta(days=7)).strftime("%Y-%m")
    figures = platform.get("/v1/events/figures", params={"month": month}).json()["items"]
    assert figures and all(f["registrations"] >= f["no_shows"] for f in figures)
    csv = platform.get("/v1/events/figures.csv", params={"month": month})
    assert csv.text.lstrip("\ufeff").startswith("branch,month,programmes_held")


def test_a_programme_from_plan_to_completion(platform, keys, subscriber):
    completed = subscriber.bind("events", "event_completed")
    start = dt.datetime.combine(dt.date.today() + dt.timedelta(days=3), dt.time(14))
    plan = {
        "programme_type": "storytime",
        "title": "Dongeng Hari Minggu",
        "audience": "children",
        "branch": "KMN",
        "room": "Ruang Baca Anak",
        "capacity": 2,
        "presenter": {"name": "Kak Dewi"},
        "partners": [{"partner_id": "PTN0003", "seats": 1}],
        "schedule": {"starts_at": start.isoformat(), "duration_minutes": 60},
    }
    elsewhere = {**plan, "branch": "SPN"}
    assert (
        platform.post("/v1/events/programmes", key=keys["kmn"], json=elsewhere).status_code == 403
    )
    made = platform.post("/v1/events/programmes", key=keys["kmn"], json=plan)
    assert made.status_code == 201, made.text
    pid = made.json()["id"]
    moved = platform.post(
        f"/v1/events/programmes/{pid}/transitions", key=keys["kmn"], json={"to": "published"}
    )
    assert moved.json()["status"] == "published"
    occurrence = moved.json()["occurrences"][0]["id"]
    register = f"/v1/events/occurrences/{occurrence}/registrations"

    # No key needed; the same request retried is answered, not done again.
    person = {"name": "Aisyah Putri", "contact": "0812-7401-0001", "age_group": "child"}
    retry = {"Idempotency-Key": "daftar-aisyah-1"}
    first = platform.post(register, key="", json=person, headers=retry)
    again = platform.post(register, key="", json=person, headers=retry)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and first.json()["items"][0]["status"] == "confirmed"
    assert platform.post(register, key="", json=person).status_code == 409
    assert platform.post(register, key="", json={"name": "Tanpa kontak"}).status_code == 400
    own = platform.post(
        f"/v1/events/occurrences/{occurrence}/partner-registrations",
        key=keys["school"],
        json={"name": "Murid SD 4", "contact": "0812-7401-0002"},
    ).json()["items"][0]
    assert own["status"] == "confirmed" and own["partner_id"] == "PTN0003"
    waiting = platform.post(
        register, key="", json={"name": "Budi", "contact": "0812-7401-0003"}
    ).json()["items"][0]
    assert waiting["status"] == "waitlisted" and waiting["waitlist_position"] == 1

    # Who sees whom: a partner its own people, never another's; contacts only for the branch.
    public_one = first.json()["items"][0]["id"]
    assert (
        platform.get(f"/v1/events/registrations/{public_one}", key=keys["school"]).status_code
        == 403
    )
    assert (
        platform.get(f"/v1/events/registrations/{own['id']}", key=keys["iain"]).status_code == 403
    )
    assert platform.get("/v1/events/partners/PTN0003", key=keys["iain"]).status_code == 403
    seen = platform.get(f"/v1/events/registrations/{own['id']}", key=keys["school"]).json()
    assert seen["status"] == "confirmed" and "contact" not in seen and "name" not in seen
    listed = platform.get(f"/v1/events/occurrences/{occurrence}/registrations", key=keys["kmn"])
    assert [r["contact"] for r in listed.json()["items"]][0] == "+6281274010001"
    assert "81274010001" not in platform.get("/v1/events", key="").text
    bad = platform.post(register, key="", json={"name": "Budi", "contact": "tidak ada"})
    assert bad.status_code == 400 and "contact" in bad.json()["details"]["fields"]

    # The door: check in by code, once; a walk-in; complete.
    code = first.json()["items"][0]["code"]
    door = f"/v1/events/check-ins/{code}"
    assert platform.get(door, key=keys["school"]).status_code == 403
    assert platform.get(door, key=keys["kmn"]).json()["name"] == "Aisyah Putri"
    assert platform.post(door, key=keys["kmn"]).json()["outcome"] == "checked_in"
    assert platform.post(door, key=keys["kmn"]).json()["outcome"] == "already_in"
    assert (
        platform.post(f"/v1/events/check-ins/{waiting['code']}", key=keys["kmn"]).json()["outcome"]
        == "waitlisted"
    )
    walk_in = platform.post(f"/v1/events/occurrences/{occurrence}/walk-ins", key=keys["kmn"])
    assert walk_in.status_code == 201
    # not yet begun: it cannot be completed (no survey for what has not happened)
    early = platform.post(f"/v1/events/occurrences/{occurrence}/complete", key=keys["kmn"])
    assert early.status_code == 409 and early.json()["details"]["id"] == occurrence

    # One that began an hour ago: completed, and its survey goes to those who can be asked.
    begun = dt.datetime.now(WIB).replace(tzinfo=None, microsecond=0) - dt.timedelta(hours=1)
    held = {
        **plan,
        "partners": [],
        "schedule": {"starts_at": begun.isoformat(), "duration_minutes": 30},
    }
    pid = platform.post("/v1/events/programmes", key=keys["kmn"], json=held).json()["id"]
    moved = platform.post(
        f"/v1/events/programmes/{pid}/transitions", key=keys["kmn"], json={"to": "published"}
    )
    held_occurrence = moved.json()["occurrences"][0]["id"]
    came = platform.post(f"/v1/events/occurrences/{held_occurrence}/walk-ins", key=keys["kmn"])
    done = platform.post(f"/v1/events/occurrences/{held_occurrence}/complete", key=keys["kmn"])
    assert done.json()["attended"] == 1 and done.json()["walk_ins"] == 1
    (message,) = subscriber.drain(completed, 1)
    event = json.loads(message.body)
    assert event["dataschema"] == "events.event_completed/v1"
    assert event["data"]["attendees"] == [came.json()["registration"]["id"]]
    assert event["data"]["invitable"] == []  # a walk-in leaves no contact
    published = json.dumps(event)  # the contact in either spelling, past a timestamp's digits
    assert "Aisyah" not in published and "8127401" not in published and "0812-" not in published


def test_a_partner_co_hosts_by_itself_and_leaves(platform, keys):
    start = dt.datetime.combine(dt.date.today() + dt.timedelta(days=5), dt.time(15))
    plan = {
        "programme_type": "information_literacy",
        "title": "Cek Fakta untuk Mahasiswa",
        "audience": "adults",
        "branch": "KMN",
        "capacity": 3,
        "presenter": {"name": "Pustakawan Kumun Debai"},
        "schedule": {"starts_at": start.isoformat(), "duration_minutes": 90},
    }
    pid = platform.post("/v1/events/programmes", key=keys["kmn"], json=plan).json()["id"]
    moved = platform.post(
        f"/v1/events/programmes/{pid}/transitions", key=keys["kmn"], json={"to": "published"}
    )
    occurrence = moved.json()["occurrences"][0]["id"]
    join = f"/v1/events/programmes/{pid}/partners"
    other = {"partner_id": "PTN0003", "seats": 1}
    assert platform.post(join, key=keys["iain"], json=other).status_code == 403
    assert platform.post(join, key=keys["iain"], json={"seats": "dua"}).status_code == 400
    too_many = platform.post(join, key=keys["iain"], json={"seats": 4})
    assert too_many.status_code == 409 and too_many.json()["details"]["free"] == 3
    joined = platform.post(join, key=keys["iain"], json={"seats": 1})
    assert joined.status_code == 200, joined.text
    assert joined.json()["partners"] == [{"partner_id": "PTN0001", "seats": 1}]
    own = platform.post(
        f"/v1/events/occurrences/{occurrence}/partner-registrations",
        key=keys["iain"],
        json={"name": "Mahasiswa IAIN", "contact": "0812-7402-0001"},
    ).json()["items"][0]
    assert own["status"] == "confirmed" and own["partner_id"] == "PTN0001"
    assert platform.delete(f"{join}/PTN0001", key=keys["school"]).status_code == 403
    left = platform.delete(f"{join}/PTN0001", key=keys["iain"])
    assert left.status_code == 200 and left.json()["partners"] == []
    assert platform.delete(f"{join}/PTN0001", key=keys["iain"]).status_code == 404


def test_a_keyless_idempotency_key_answers_no_one_else(platform, keys):
    """Two people pick the README's old key: each gets their own registration, and a
    copy of the first one's request sent from elsewhere gets nobody's answer back."""
    start = dt.datetime.combine(dt.date.today() + dt.timedelta(days=4), dt.time(10))
    plan = {
        "programme_type": "creative_class",
        "title": "Kelas Menganyam Pandan",
        "audience": "adults",
        "branch": "KMN",
        "capacity": 10,
        "presenter": {"name": "Ibu Yusnidar"},
        "schedule": {"starts_at": start.isoformat(), "duration_minutes": 120},
    }
    pid = platform.post("/v1/events/programmes", key=keys["kmn"], json=plan).json()["id"]
    moved = platform.post(
        f"/v1/events/programmes/{pid}/transitions", key=keys["kmn"], json={"to": "published"}
    )
    register = platform.url + f"/v1/events/occurrences/{moved.json()['occurrences'][0]['id']}"
    register += "/registrations"
    same_key = {"Idempotency-Key": "daftar-1"}
    siti = {"name": "Siti Aisyah", "contact": "0812-7400-1234"}
    here, elsewhere = client_at("127.0.0.1"), client_at("127.0.0.2")

    first = here.post(register, json=siti, headers=same_key, timeout=15)
    assert first.status_code == 201, first.text
    # her retry is answered with her registration, not made again
    again = here.post(register, json=siti, headers=same_key, timeout=15)
    assert again.status_code == 201 and again.json() == first.json()
    # someone else at the same address (one school's network) picks the same key
    rahmat = here.post(
        register, json={"name": "Rahmat", "contact": "0812-7400-5678"}, headers=same_key, timeout=15
    )
    assert rahmat.status_code == 201, rahmat.text
    assert rahmat.json()["items"][0]["code"] != first.json()["items"][0]["code"]
    # her exact request, sent from elsewhere: a new one (the same person twice), never
    # her registration and its check-in code
    copy = elsewhere.post(register, json=siti, headers=same_key, timeout=15)
    assert copy.status_code == 409, copy.text
    assert first.json()["items"][0]["code"] not in copy.text


def test_a_community_idea_is_drafted_once_and_its_publication_tells_feedback(
    platform, keys, subscriber
):
    published = subscriber.bind("events", "programme_published")
    idea = {
        "suggestion_id": "SUG000042",
        "kind": "programme",
        "title": "Klub baca puisi remaja",
        "authors": [],
        "branch": "KMN",
        "votes": 31,
        "programme_type": "book_discussion",
        "audience": "teens",
    }
    event = make_envelope("feedback", "suggestion_approved", "SUG000042", idea)
    publisher = BatchPublisher(platform.env["AMQP_URI"], "feedback.events")
    publisher.publish_batch([("suggestion_approved", event["id"], json.dumps(event), None)] * 2)
    publisher.close()

    def drafts():
        found = platform.get(
            "/v1/events/programmes", key=keys["kmn"], params={"status": "draft"}
        ).json()["items"]
        return [p for p in found if p["suggestion_id"] == "SUG000042"] or None

    (draft,) = wait_for(drafts, timeout=15)
    start = dt.datetime.combine(dt.date.today() + dt.timedelta(days=14), dt.time(15))
    schedule = {"starts_at": start.isoformat(), "duration_minutes": 90}
    plan = {
        **{k: draft[k] for k in ("programme_type", "title", "audience", "branch", "capacity")},
        "schedule": schedule,
    }
    assert platform.put(f"/v1/events/programmes/{draft['id']}", key=keys["kmn"], json=plan).ok
    platform.post(
        f"/v1/events/programmes/{draft['id']}/transitions",
        key=keys["kmn"],
        json={"to": "published"},
    )
    (message,) = subscriber.drain(published, 1)
    assert json.loads(message.body)["data"]["suggestion_id"] == "SUG000042"
