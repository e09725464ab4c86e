"""Development records per person and year (JP, programmes, competencies with their
evidence, the rating and its credit points), their export, and competency gaps per
person and branch with the scheduled programmes that would close them (SQLite, then
PostgreSQL)."""

import datetime as dt

import pytest

from chassis.context import SYSTEM
from chassis.errors import Forbidden, NotFound, ValidationFailed
from services.people import (
    attendance,
    competencies,
    enrolments,
    gaps,
    lifecycle,
    programmes,
    records,
    staff,
)

from .helpers import KMN, PARTNER, SPN, read, run


def programme(db, topic, built, day: str, hours=8) -> str:
    payload = {
        "kind": "training",
        "topic": topic,
        "competencies": [{"competency": c, "level": level} for c, level in built.items()],
        "hours": hours,
        "trainer": {"name": "Balai Diklat"},
        "capacity": 10,
        "sessions": [
            {
                "date": day,
                "start": "08:00",
                "end": "16:00",
                "venue": {"kind": "room", "branch": "SPN", "room": "Aula"},
            }
        ],
    }
    pid = run(db, programmes.create_programme, payload, SYSTEM)["id"]
    run(db, lifecycle.transition, pid, {"to": "scheduled"}, SYSTEM)
    return pid


def complete(db, pid, people, day: str) -> None:
    for s in people:
        run(db, enrolments.enrol, pid, {"staff_id": s}, SYSTEM)
    run(db, lifecycle.transition, pid, {"to": "running"}, SYSTEM)
    marks = [{"staff_id": s, "present": True} for s in people]
    run(db, attendance.record_attendance, pid, {"session": 1, "marks": marks}, SYSTEM)
    today = dt.date.fromisoformat(day)
    run(db, lifecycle.transition, pid, {"to": "completed"}, SYSTEM, today)


@pytest.fixture
def year(people_db):
    """Two at Kumun Debai, one at the centre; three programmes done, one ahead."""
    db = people_db

    def new(name, branch, position):
        payload = {"name": name, "branch": branch, "position": position}
        return run(db, staff.register_staff, payload, SYSTEM, dt.date(2025, 1, 2))["id"]

    ani, budi, citra = (
        new("Ani", "KMN", "ahli_pertama"),
        new("Budi", "KMN", "terampil"),
        new("Citra", "SPN", "non_functional"),
    )
    slims = programme(db, "SLiMS dasar", {"TI-SIPUS": 2}, "2026-02-02", hours=16)
    complete(db, slims, [ani, budi], "2026-02-02")
    medsos = programme(db, "Media sosial", {"TI-MEDSOS": 2, "LP-KOMUNIKASI": 1}, "2026-05-04")
    complete(db, medsos, [ani], "2026-05-04")
    old = programme(db, "Koleksi", {"MP-KOLEKSI": 2}, "2025-09-01", hours=4)
    complete(db, old, [ani], "2025-09-01")
    ahead = programme(db, "SLiMS lanjutan", {"TI-SIPUS": 3}, "2027-01-11")
    return {
        "ani": ani,
        "budi": budi,
        "citra": citra,
        "slims": slims,
        "medsos": medsos,
        "ahead": ahead,
        "old": old,
    }


def test_a_persons_year_holds_its_programmes_hours_and_competencies(people_db, year):
    record = read(people_db, records.development_record, year["ani"], 2026, KMN)
    assert record["hours"] == 24 and record["position"] == "ahli_pertama"
    assert [p["programme_id"] for p in record["programmes"]] == [year["slims"], year["medsos"]]
    assert all(p["certificate"] and p["certificate_valid"] for p in record["programmes"])
    shown = {c["competency"]: (c["level"], c["evidence"]) for c in record["competencies"]}
    assert shown == {
        "LP-KOMUNIKASI": (1, [year["medsos"]]),
        "MP-KOLEKSI": (2, [year["old"]]),  # shown in an earlier year, still shown
        "TI-MEDSOS": (2, [year["medsos"]]),
        "TI-SIPUS": (2, [year["slims"]]),
    }
    assert (record["rating"], record["credit"]) == (None, None)
    earlier = read(people_db, records.development_record, year["ani"], 2025, SYSTEM)
    assert earlier["hours"] == 4 and list(c["competency"] for c in earlier["competencies"]) == [
        "MP-KOLEKSI"
    ]


def test_a_rating_gives_the_years_credit_points(people_db, year):
    rated = run(people_db, records.rate_staff, year["ani"], 2026, {"rating": "sangat_baik"}, SYSTEM)
    assert (rated["rating"], rated["months"], rated["credit"]) == ("sangat_baik", 12, 18.75)
    # Promoted in October: the year's end counts, from the history.
    change = {"position": "ahli_muda", "effective": "2026-10-01"}
    run(people_db, staff.change_staff, year["ani"], change, SYSTEM)
    assert read(people_db, records.development_record, year["ani"], 2026, SYSTEM)["credit"] == 37.5
    part = {"rating": "baik", "months": 6}
    assert run(people_db, records.rate_staff, year["citra"], 2026, part, SYSTEM)["credit"] is None
    with pytest.raises(Forbidden):
        run(people_db, records.rate_staff, year["budi"], 2026, {"rating": "baik"}, KMN)
    with pytest.raises(ValidationFailed):
        run(people_db, records.rate_staff, year["budi"], 2026, {"rating": "luar_biasa"}, SYSTEM)
    with pytest.raises(ValidationFailed):
        read(people_db, records.development_record, year["budi"], 1999, SYSTEM)


def test_the_years_records_export_for_a_branch(people_db, year):
    kmn = read(people_db, records.development_records, {"year": 2026}, KMN)["items"]
    assert [(r["name"], r["hours"]) for r in kmn] == [("Ani", 24), ("Budi", 16)]
    everyone = read(people_db, records.development_records, {"year": "2026"}, SYSTEM)["items"]
    assert len(everyone) == 3
    with pytest.raises(Forbidden):
        read(people_db, records.development_records, {"year": 2026, "branch": "SPN"}, KMN)
    with pytest.raises(Forbidden):
        read(people_db, records.development_records, {"year": 2026}, PARTNER)
    with pytest.raises(ValidationFailed):
        read(people_db, records.development_records, {}, SYSTEM)


def test_gaps_name_what_is_short_and_what_would_close_it(people_db, year):
    budi = read(people_db, gaps.staff_gaps, year["budi"], KMN)
    # A terampil needs level 1 of everything: TI-SIPUS is shown at 2.
    short = {g["competency"]: g for g in budi["gaps"]}
    assert "TI-SIPUS" not in short and len(short) == 12
    assert short["TI-MEDSOS"] == {
        "competency": "TI-MEDSOS",
        "required": 1,
        "attained": 0,
        "closing": [],
    }
    ani = {
        g["competency"]: g for g in read(people_db, gaps.staff_gaps, year["ani"], SYSTEM)["gaps"]
    }
    assert "TI-SIPUS" not in ani  # ahli_pertama needs 2: shown
    run(
        people_db,
        competencies.put_requirement,
        "ahli_pertama",
        {"competency": "TI-SIPUS", "level": 3},
        SYSTEM,
    )
    ani = {
        g["competency"]: g for g in read(people_db, gaps.staff_gaps, year["ani"], SYSTEM)["gaps"]
    }
    assert ani["TI-SIPUS"] == {
        "competency": "TI-SIPUS",
        "required": 3,
        "attained": 2,
        "closing": [year["ahead"]],
    }
    branch = read(people_db, gaps.branch_gaps, "KMN", KMN)
    assert [s["staff_id"] for s in branch["staff"]] == [year["ani"], year["budi"]]
    sipus = next(c for c in branch["competencies"] if c["competency"] == "TI-SIPUS")
    assert sipus == {"competency": "TI-SIPUS", "staff": [year["ani"]], "closing": [year["ahead"]]}
    with pytest.raises(Forbidden):
        read(people_db, gaps.branch_gaps, "SPN", KMN)
    with pytest.raises(Forbidden):
        read(people_db, gaps.staff_gaps, year["citra"], KMN)
    with pytest.raises(NotFound):
        read(people_db, gaps.branch_gaps, "XYZ", SPN.__class__("a", "admin"))
