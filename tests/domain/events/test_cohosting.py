"""The host's own seats, and partners joining and leaving a programme as co-hosts,
on the domain directly (SQLite; the gateway's side: tests/e2e/test_events.py)."""

import datetime as dt

import pytest

from chassis.context import SYSTEM
from chassis.errors import Conflict, Forbidden, NotFound, ValidationFailed
from services.events import cohosting, programmes, registrations
from services.events.times import today

from .helpers import (
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


def statuses(db, occurrence: str) -> dict[str, str]:
    listed = read(db, registrations.list_registrations, occurrence, SYSTEM)["items"]
    return {r["name"]: r["status"] for r in listed}


def test_the_host_keeps_seats_for_its_people(events_db):
    host = new_partner(events_db, "Universitas Jambi")
    school = new_partner(events_db)
    programme = published(
        events_db, capacity=3, host_partner_id=host, host_seats=2, cohosts=[(school, 0)]
    )
    assert programme["host_partner_id"] == host and programme["host_seats"] == 2
    assert programme["partners"] == [{"partner_id": school, "seats": 0}]
    (announced,) = emitted(events_db, "programme_published")
    assert announced["data"]["partners"] == sorted([host, school])
    occurrence = programme["occurrences"][0]["id"]
    public = [
        run(events_db, registrations.register, occurrence, person(i), SYSTEM)["items"][0]
        for i in range(2)
    ]
    assert [p["status"] for p in public] == ["confirmed", "waitlisted"]  # one general seat
    for i in (10, 11):
        mine = run(events_db, registrations.register, occurrence, person(i), partner_key(host))
        assert mine["items"][0]["status"] == "confirmed"
        assert mine["items"][0]["partner_id"] == host
    # A co-host keeping no seats registers its people in the general pool: full now.
    theirs = run(events_db, registrations.register, occurrence, person(20), partner_key(school))
    assert theirs["items"][0]["status"] == "waitlisted"


def test_host_seats_need_a_host_and_count_against_the_capacity(events_db):
    host, school = new_partner(events_db), new_partner(events_db, "SD Negeri 4 Sungai Penuh")
    for payload, field in [
        (programme_payload(host_seats=2), "host_seats"),
        (
            programme_payload(
                capacity=10, host_partner_id=host, host_seats=8, cohosts=[(school, 3)]
            ),
            "partners",
        ),
    ]:
        with pytest.raises(ValidationFailed) as failed:
            run(events_db, programmes.create_programme, payload, KMN)
        assert field in failed.value.details["fields"]
    assert read(events_db, programmes.list_programmes, {}, SYSTEM)["items"] == []


def test_the_host_named_again_as_a_co_host_is_refused(events_db):
    host = new_partner(events_db)
    payload = programme_payload(host_partner_id=host, cohosts=[(host, 1)])
    with pytest.raises(ValidationFailed) as failed:
        run(events_db, programmes.create_programme, payload, KMN)
    assert "is named the host" in str(failed.value.details["fields"])


def test_a_partner_joins_by_itself_and_keeps_only_free_seats(events_db):
    school = new_partner(events_db)
    programme = published(events_db, capacity=4)
    occurrence = programme["occurrences"][0]["id"]
    for i in range(2):
        run(events_db, registrations.register, occurrence, person(i), SYSTEM)
    # Two of four seats are taken: a partner may keep two at most.
    with pytest.raises(Conflict) as refused:
        run(
            events_db,
            cohosting.cohost_programme,
            programme["id"],
            {"seats": 3},
            partner_key(school),
        )
    assert refused.value.details["free"] == 2
    joined = run(
        events_db, cohosting.cohost_programme, programme["id"], {"seats": 2}, partner_key(school)
    )
    assert joined["partners"] == [{"partner_id": school, "seats": 2}]
    (changed,) = emitted(events_db, "programme_changed")
    assert changed["data"]["partners"] == [school] and changed["data"]["occurrence_id"] is None
    # The general pool is full now; the partner's people take its kept seats.
    waiting = run(events_db, registrations.register, occurrence, person(5), SYSTEM)["items"][0]
    assert waiting["status"] == "waitlisted"
    ours = run(events_db, registrations.register, occurrence, person(6), partner_key(school))
    assert ours["items"][0]["status"] == "confirmed"
    with pytest.raises(Conflict):  # once is enough
        run(
            events_db,
            cohosting.cohost_programme,
            programme["id"],
            {"seats": 0},
            partner_key(school),
        )


def test_who_may_add_and_take_off_a_co_host(events_db):
    school, other = new_partner(events_db), new_partner(events_db, "SD Negeri 4 Sungai Penuh")
    lapsed = new_partner(events_db, "SMP Negeri 2 Kerinci", today() - dt.timedelta(days=1))
    programme = published(events_db, capacity=10)  # KMN's
    pid = programme["id"]
    with pytest.raises(Forbidden):  # a partner acts for itself only
        run(events_db, cohosting.cohost_programme, pid, {"partner_id": other, "seats": 1},
            partner_key(school))  # fmt: skip
    with pytest.raises(Forbidden):  # another branch's programme
        run(events_db, cohosting.cohost_programme, pid, {"partner_id": school, "seats": 1}, SPN)
    with pytest.raises(ValidationFailed):  # a branch names the partner
        run(events_db, cohosting.cohost_programme, pid, {"seats": 1}, KMN)
    with pytest.raises(Conflict):  # an agreement no longer in force
        run(events_db, cohosting.cohost_programme, pid, {"seats": 1}, partner_key(lapsed))
    with pytest.raises(ValidationFailed):  # no such partner
        run(events_db, cohosting.cohost_programme, pid, {"partner_id": "PTN9999", "seats": 1}, KMN)
    assert emitted(events_db, "programme_changed") == []  # nothing of it changed anything
    run(events_db, cohosting.cohost_programme, pid, {"partner_id": school, "seats": 1}, KMN)
    with pytest.raises(Forbidden):
        run(events_db, cohosting.stop_cohosting, pid, school, partner_key(other))
    with pytest.raises(NotFound):
        run(events_db, cohosting.stop_cohosting, pid, other, KMN)
    left = run(events_db, cohosting.stop_cohosting, pid, school, partner_key(school))
    assert left["partners"] == []
    run(events_db, programmes.transition, pid, {"to": "cancelled"}, KMN)
    with pytest.raises(Conflict):  # a cancelled programme's partners no longer change
        run(events_db, cohosting.cohost_programme, pid, {"seats": 1}, partner_key(school))


def test_the_host_does_not_leave_as_a_co_host(events_db):
    host = new_partner(events_db)
    programme = published(events_db, host_partner_id=host, host_seats=1)
    with pytest.raises(Conflict):
        run(events_db, cohosting.stop_cohosting, programme["id"], host, partner_key(host))


def test_a_leaving_co_host_leaves_its_people_seated_and_its_empty_seats_to_the_waiting(
    events_db,
):
    school = new_partner(events_db)
    programme = published(events_db, capacity=4, cohosts=[(school, 3)])
    occurrence = programme["occurrences"][0]["id"]
    run(events_db, registrations.register, occurrence, person(1), partner_key(school))
    for i in (2, 3, 4):  # one general seat: the second and third wait
        run(events_db, registrations.register, occurrence, person(i), SYSTEM)
    assert statuses(events_db, occurrence) == {
        "Peserta 1": "confirmed",
        "Peserta 2": "confirmed",
        "Peserta 3": "waitlisted",
        "Peserta 4": "waitlisted",
    }
    run(events_db, cohosting.stop_cohosting, programme["id"], school, partner_key(school))
    assert set(statuses(events_db, occurrence).values()) == {"confirmed"}
    promoted = [e["data"]["registration_id"] for e in emitted(events_db, "waitlist_promoted")]
    assert len(promoted) == 2
    # All four seats are held now: the next one waits, the partner's person too.
    late = run(events_db, registrations.register, occurrence, person(5), SYSTEM)["items"][0]
    assert late["status"] == "waitlisted"
    with pytest.raises(Forbidden):  # no longer a co-host
        run(events_db, registrations.register, occurrence, person(6), partner_key(school))
