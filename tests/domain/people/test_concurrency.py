"""Simultaneous enrolments never overfill a programme (SQLite, then PostgreSQL): 30
staff enrolling at once into 20 places are 20 enrolled and 10 waiting, and each
withdrawal of an enrolled participant promotes exactly one of those waiting. Marks
of attendance recorded at once are each kept."""

import eventlet
from sqlalchemy import func, select

from chassis.context import SYSTEM
from chassis.errors import Conflict
from services.people import attendance, enrolments, lifecycle, programmes, staff
from services.people.models import Attendance, Enrolment

from .helpers import NIP, emitted, run

SESSION = {
    "date": "2026-04-06",
    "start": "09:00",
    "end": "15:00",
    "venue": {"kind": "room", "branch": "SPN", "room": "Aula"},
}


def statuses(db, programme_id) -> dict[str, int]:
    with db.reading() as session:
        rows = session.execute(select(Enrolment.status, func.count()).group_by(Enrolment.status))
        return dict(rows.all())


def at_once(calls) -> list:
    """Run every call in a green thread of its own, all started together: each
    enrolment's transaction runs beside the others' (psycopg2 yields while it waits
    for the server)."""
    pool = eventlet.GreenPool(len(calls))
    threads = [pool.spawn(call) for call in calls]
    return [t.wait() for t in threads]


def scheduled_with_staff(db, capacity: int, staff_count: int) -> tuple[str, list[str]]:
    """A workshop scheduled with `capacity` places, and `staff_count` new staff."""
    payload = {
        "kind": "workshop",
        "topic": "Lokakarya penataan ruang baca",
        "competencies": [{"competency": "MP-RUANG", "level": 2}],
        "hours": 8,
        "trainer": {"name": "Dinas Perpustakaan Provinsi Jambi"},
        "capacity": capacity,
        "sessions": [SESSION],
    }
    pid = run(db, programmes.create_programme, payload, SYSTEM)["id"]
    run(db, lifecycle.transition, pid, {"to": "scheduled"}, SYSTEM)
    ids = [
        run(
            db,
            staff.register_staff,
            {"name": f"Pustakawan {i}", "branch": "KMN", "position": "mahir"},
            SYSTEM,
        )["id"]
        for i in range(staff_count)
    ]
    return pid, ids


def test_thirty_enrol_at_once_into_twenty_places(people_db):
    pid, ids = scheduled_with_staff(people_db, capacity=20, staff_count=30)

    def enrol(staff_id):
        return lambda: run(people_db, enrolments.enrol, pid, {"staff_id": staff_id}, SYSTEM)

    answers = at_once([enrol(s) for s in ids])
    assert sorted(a["status"] for a in answers).count("enrolled") == 20
    assert statuses(people_db, pid) == {"enrolled": 20, "waitlisted": 10}
    positions = sorted(a["waitlist_position"] for a in answers if a["status"] == "waitlisted")
    assert positions == list(range(1, 11))

    # Two enrolled withdraw at once: two of the waiting, the first two, take their places.
    leaving = [a["staff_id"] for a in answers if a["status"] == "enrolled"][:2]
    first_waiting = [
        a["staff_id"]
        for a in sorted(
            (a for a in answers if a["status"] == "waitlisted"),
            key=lambda a: a["waitlist_position"],
        )
    ][:2]
    at_once([lambda s=s: run(people_db, enrolments.withdraw, pid, s, SYSTEM) for s in leaving])
    assert statuses(people_db, pid) == {"enrolled": 20, "waitlisted": 8, "withdrawn": 2}
    promoted = [e["data"]["staff_id"] for e in emitted(people_db, "waitlist_promoted")]
    assert sorted(promoted) == sorted(first_waiting)


def test_one_nip_registered_at_once_by_five_is_one_person_and_four_conflicts(people_db):
    def register(i):
        payload = {"name": f"Kembar {i}", "branch": "KMN", "position": "mahir", "nip": NIP}
        try:
            return run(people_db, staff.register_staff, payload, SYSTEM)["id"]
        except Conflict as exc:
            return exc.details["field"]

    answers = at_once([lambda i=i: register(i) for i in range(5)])
    assert sorted(answers)[1:] == ["nip"] * 4 and answers.count("nip") == 4


def test_marks_recorded_at_once_are_each_kept_one_a_person(people_db):
    """Attendance takes the programme's row shared: marks for it go side by side, and
    the same person's marks at once (a correction) leave one mark, never an error."""
    pid, ids = scheduled_with_staff(people_db, capacity=10, staff_count=6)
    for s in ids:
        run(people_db, enrolments.enrol, pid, {"staff_id": s}, SYSTEM)
    run(people_db, lifecycle.transition, pid, {"to": "running"}, SYSTEM)

    def mark(staff_id, present):
        body = {"session": 1, "marks": [{"staff_id": staff_id, "present": present}]}
        return lambda: run(people_db, attendance.record_attendance, pid, body, SYSTEM)

    answers = at_once([mark(s, True) for s in ids] + [mark(ids[0], False)])
    assert [a["recorded"] for a in answers] == [1] * 7
    with people_db.reading() as session:
        kept = session.execute(select(Attendance.staff_seq, Attendance.present)).all()
    assert len(kept) == 6
    assert len(emitted(people_db, "attendance_recorded")) == 7
