"""The demo loaded by `make up` on first run: staff at every demo branch across the
ladder, a year of programmes across the four areas with attendance, completions and
certificates, and nothing again on a second run (SQLite, then PostgreSQL)."""

import datetime as dt

from chassis.context import SYSTEM
from services.people import demo, enrolments, programmes, staff

from .helpers import emitted, read


def test_the_demo_is_a_year_of_staff_development(part_db):
    db = part_db("people")
    today = dt.date(2026, 12, 5)
    assert demo.load_demo(db, today) > 0
    everyone = read(db, staff.list_staff, {"limit": 200}, SYSTEM)["items"]
    assert {s["branch"] for s in everyone} == {"SPN", "PDT", "KMN", "HRW", "PSB"}
    assert len({s["position"] for s in everyone}) >= 7
    listed = read(db, programmes.list_programmes, {"limit": 50})["items"]
    statuses = [p["status"] for p in listed]
    assert statuses.count("completed") == 8 and statuses.count("scheduled") == 2
    built = {c["competency"][:2] for p in listed for c in p["competencies"]}
    assert built == {"TI", "MP", "LP", "LI"}
    first_days = sorted(p["sessions"][0]["date"] for p in listed if p["status"] == "completed")
    assert first_days[0] >= "2025-12-01" and first_days[-1] < "2026-12-01"
    done = [p for p in listed if p["status"] == "completed"]
    results = [
        e["status"]
        for p in done
        for e in read(db, enrolments.list_enrolments, p["id"], SYSTEM)["items"]
    ]
    assert results.count("completed") > 20 and "not_completed" in results
    assert len(emitted(db, "certificate_issued")) == results.count("completed")
    assert demo.load_demo(db, today) == 0
