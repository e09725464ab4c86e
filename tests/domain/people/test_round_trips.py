"""What a write of the busiest routes costs PostgreSQL in round trips: the whole unit
of work as a request runs it (BEGIN, its statements, its events and its answer in one, COMMIT).
Each statement is a wait for the server while the rows it locked stay locked; a count
that grows is a regression, found here rather than in a benchmark's figures."""

import pytest

from chassis.context import SYSTEM
from services.people import attendance, enrolments, staff
from tests.support import requested, round_trips

from .test_programmes import enrol, new_staff, scheduled, to

pytestmark = pytest.mark.parametrize(
    "database_kind", [pytest.param("postgresql", marks=pytest.mark.postgres)]
)


def test_registering_staff_is_five_round_trips(people_db):
    payload = {"name": "Ani", "branch": "KMN", "position": "terampil"}
    with round_trips(people_db.engine) as sent:
        requested(people_db, "register_staff", staff.register_staff, payload, SYSTEM)
    # the branch; the member of staff; their first position with the event and the
    # answer
    assert len(sent) == 5, sent
    assert "INSERT INTO position_history" in sent[3] and "INSERT INTO outbox" in sent[3]


def test_enrolling_is_four_round_trips_two_of_them_holding_the_places(people_db):
    pid = scheduled(people_db, capacity=3)
    ani = new_staff(people_db, "Ani")
    with round_trips(people_db.engine) as sent:
        requested(people_db, "enrol", enrolments.enrol, pid, {"staff_id": ani}, SYSTEM)
    # the programme locked, then, in the same round trip, read with the member of
    # staff and the places as the lock's last holder left them; the enrolment with
    # the event and the answer; the commit
    assert len(sent) == 4, sent
    locking, reading = sent[1].split(";", 1)
    assert "FOR UPDATE" in locking and "count(*)" in reading
    assert "INSERT INTO enrolments" in sent[2] and "INSERT INTO outbox" in sent[2]


def test_marking_attendance_is_six_round_trips(people_db):
    pid = scheduled(people_db, capacity=3)
    ani, beni = new_staff(people_db, "Ani"), new_staff(people_db, "Beni")
    enrol(people_db, pid, ani)
    enrol(people_db, pid, beni)
    to(people_db, pid, "running")
    marks = [{"staff_id": ani, "present": True}, {"staff_id": beni, "present": False}]
    with round_trips(people_db.engine) as sent:
        requested(
            people_db,
            "record_attendance",
            attendance.record_attendance,
            pid,
            {"session": 1, "marks": marks},
            SYSTEM,
        )
    # the programme shared; its session with the staff marked; the marks; the events
    # with the answer: as many for two marks as for one
    assert len(sent) == 6, sent
