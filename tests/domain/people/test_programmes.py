"""Programmes from draft to completion: sessions, capacity and the waitlist,
attendance, the completion rule, competency evidence and certificates (SQLite,
then PostgreSQL)."""

import base64
import datetime as dt

import pytest

from chassis.context import SYSTEM
from chassis.errors import Conflict, Forbidden, NotFound, ValidationFailed
from services.people import (
    attendance,
    certificates,
    enrolments,
    evaluations,
    lifecycle,
    programmes,
    staff,
)
from services.people.completion import completes
from tests.support import id_aliases

from .helpers import KMN, PARTNER, SPN, emitted, read, run

DAY = dt.date(2026, 3, 2)


def session(day: int, branch="SPN") -> dict:
    return {
        "date": f"2026-03-{day:02d}",
        "start": "08:00",
        "end": "12:00",
        "venue": {"kind": "room", "branch": branch, "room": "Aula"},
    }


def programme_payload(**fields) -> dict:
    return {
        "kind": "training",
        "topic": "Pelatihan SLiMS untuk sirkulasi",
        "competencies": [{"competency": "TI-SIPUS", "level": 2}],
        "hours": 16,
        "trainer": {"name": "Tim Perpustakaan Nasional"},
        "capacity": 2,
        "sessions": [session(d) for d in (2, 3, 4, 5, 6)],
        **fields,
    }


def new_staff(db, name, branch="KMN", **fields):
    payload = {"name": name, "branch": branch, "position": "terampil", **fields}
    return run(db, staff.register_staff, payload, SYSTEM)["id"]


def to(db, programme_id, status, caller=SYSTEM):
    return run(db, lifecycle.transition, programme_id, {"to": status}, caller, DAY)


def scheduled(db, **fields) -> str:
    p = run(db, programmes.create_programme, programme_payload(**fields), SYSTEM)
    to(db, p["id"], "scheduled")
    return p["id"]


def enrol(db, programme_id, staff_id, caller=SYSTEM):
    return run(db, enrolments.enrol, programme_id, {"staff_id": staff_id}, caller)


def test_a_programme_is_planned_as_a_draft_and_read_by_its_id(people_db):
    trainer = new_staff(people_db, "Budi Santoso", "SPN")
    online = {"date": "2026-03-01", "start": "19:00", "end": "21:00"}
    online["venue"] = {"kind": "online", "url": "https://meet.example.org/slims"}
    p = run(
        people_db,
        programmes.create_programme,
        programme_payload(trainer={"staff_id": trainer}, sessions=[session(3), online]),
        SYSTEM,
    )
    assert p["id"] == "PRG000001" and p["status"] == "draft" and p["completion_percent"] == 80
    assert p["trainer"] == {"staff_id": trainer, "name": None}
    assert [(s["number"], s["date"]) for s in p["sessions"]] == [
        (1, "2026-03-01"),
        (2, "2026-03-03"),
    ]
    assert p["sessions"][0]["venue"] == {"kind": "online", "url": "https://meet.example.org/slims"}
    assert read(people_db, programmes.get_programme, p["id"]) == p
    for alias in id_aliases(p["id"]):
        with pytest.raises(NotFound):
            read(people_db, programmes.get_programme, alias)
    listed = read(people_db, programmes.list_programmes, {"competency": "TI-SIPUS"})
    assert [x["id"] for x in listed["items"]] == [p["id"]]


@pytest.mark.parametrize(
    "change,field",
    [
        ({"competencies": [{"competency": "NOPE", "level": 1}]}, "competencies.0.competency"),
        ({"competencies": [{"competency": "TI-SIPUS", "level": 5}]}, "competencies.0.level"),
        ({"trainer": {"staff_id": "S000099"}}, "trainer.staff_id"),
        ({"trainer": {}}, "trainer"),
        ({"sessions": [session(2, branch="XYZ")]}, "sessions.0.venue.branch"),
        ({"sessions": [{**session(2), "end": "07:00"}]}, "sessions"),
        ({"kind": "lecture"}, "kind"),
        ({"capacity": 0}, "capacity"),
    ],
)
def test_a_bad_programme_is_refused_by_field(people_db, change, field):
    with pytest.raises(ValidationFailed) as err:
        run(people_db, programmes.create_programme, programme_payload(**change), SYSTEM)
    assert field.split(".")[0] in str(err.value.details["fields"])
    assert read(people_db, programmes.list_programmes, {})["items"] == []


def test_the_lifecycle_goes_forward_only(people_db):
    empty = run(people_db, programmes.create_programme, programme_payload(sessions=[]), SYSTEM)
    with pytest.raises(Conflict, match="no session"):
        to(people_db, empty["id"], "scheduled")
    pid = scheduled(people_db)
    assert [e["data"]["id"] for e in emitted(people_db, "programme_scheduled")] == [pid]
    scheduled_event = emitted(people_db, "programme_scheduled")[0]["data"]
    assert (scheduled_event["first_day"], scheduled_event["last_day"]) == (
        "2026-03-02",
        "2026-03-06",
    )
    with pytest.raises(Conflict):
        to(people_db, pid, "completed")
    with pytest.raises(Conflict):
        run(people_db, programmes.replace_programme, pid, programme_payload(), SYSTEM)
    to(people_db, pid, "running")
    to(people_db, pid, "completed")
    for status in ("scheduled", "running", "cancelled", "completed"):
        with pytest.raises(Conflict):
            to(people_db, pid, status)
    with pytest.raises(ValidationFailed):
        to(people_db, pid, "draft")
    with pytest.raises(Forbidden):
        to(people_db, empty["id"], "cancelled", KMN)
    assert to(people_db, empty["id"], "cancelled")["status"] == "cancelled"


def test_past_capacity_staff_wait_and_a_withdrawal_promotes_the_first(people_db):
    pid = scheduled(people_db)
    ids = [new_staff(people_db, f"Staf {i}") for i in range(4)]
    answers = [enrol(people_db, pid, s, KMN) for s in ids]
    assert [a["status"] for a in answers] == ["enrolled", "enrolled", "waitlisted", "waitlisted"]
    assert [a["waitlist_position"] for a in answers] == [None, None, 1, 2]
    with pytest.raises(Conflict):
        enrol(people_db, pid, ids[0])
    withdrawn = run(people_db, enrolments.withdraw, pid, ids[0], KMN)
    assert withdrawn["status"] == "withdrawn"
    listed = read(people_db, enrolments.list_enrolments, pid, SYSTEM)["items"]
    assert {e["staff_id"]: e["status"] for e in listed} == {
        ids[0]: "withdrawn",
        ids[1]: "enrolled",
        ids[2]: "enrolled",
        ids[3]: "waitlisted",
    }
    promoted = emitted(people_db, "waitlist_promoted")
    assert [e["data"]["staff_id"] for e in promoted] == [ids[2]]
    # Withdrawing someone waiting frees no place.
    run(people_db, enrolments.withdraw, pid, ids[3], SYSTEM)
    assert len(emitted(people_db, "waitlist_promoted")) == 1
    again = enrol(people_db, pid, ids[0])  # back in, at the end of the line
    assert (again["status"], again["waitlist_position"]) == ("waitlisted", 1)
    with pytest.raises(NotFound):
        run(people_db, enrolments.withdraw, pid, ids[3], SYSTEM)


def test_a_branch_enrols_its_own_staff_only(people_db):
    pid = scheduled(people_db)
    kmn, spn = new_staff(people_db, "Di Kumun"), new_staff(people_db, "Di Pusat", "SPN")
    with pytest.raises(Forbidden):
        enrol(people_db, pid, spn, KMN)
    with pytest.raises(Forbidden):
        enrol(people_db, pid, kmn, PARTNER)
    enrol(people_db, pid, kmn, KMN)
    enrol(people_db, pid, spn, SPN)
    with pytest.raises(Forbidden):
        run(people_db, enrolments.withdraw, pid, spn, KMN)
    seen = read(people_db, enrolments.list_enrolments, pid, KMN)["items"]
    assert [e["staff_id"] for e in seen] == [kmn]
    with pytest.raises(ValidationFailed):
        enrol(people_db, pid, "S999999")
    inactive = new_staff(people_db, "Pensiun", active=False)
    with pytest.raises(Conflict):
        enrol(people_db, pid, inactive)


def test_enrolment_is_open_only_while_scheduled_or_running(people_db):
    draft = run(people_db, programmes.create_programme, programme_payload(), SYSTEM)
    s = new_staff(people_db, "Sari")
    with pytest.raises(Conflict):
        enrol(people_db, draft["id"], s)
    assert emitted(people_db, "staff_enrolled") == []


def test_the_completion_rule_counts_whole_sessions():
    assert completes(4, 5, 80) and not completes(3, 5, 80)
    assert completes(1, 1, 100) and not completes(0, 0, 80)
    assert completes(2, 3, 66) and not completes(2, 3, 67)


def mark(db, pid, number, present, absent=(), caller=SYSTEM):
    marks = [{"staff_id": s, "present": True} for s in present]
    marks += [{"staff_id": s, "present": False} for s in absent]
    payload = {"session": number, "marks": marks}
    return run(db, attendance.record_attendance, pid, payload, caller)


def test_completing_records_evidence_and_issues_certificates(people_db):
    pid = scheduled(people_db, capacity=3)
    ani, beni, citra = (new_staff(people_db, n) for n in ("Ani", "Beni", "Citra"))
    dedi = new_staff(people_db, "Dedi")
    for s in (ani, beni, citra, dedi):
        enrol(people_db, pid, s)
    with pytest.raises(Conflict):
        mark(people_db, pid, 1, [ani])  # not running yet
    to(people_db, pid, "running")
    for number in range(1, 6):
        # Ani comes to all five, Beni to four (80%), Citra to three (60%).
        present = [ani] + ([beni] if number != 2 else []) + ([citra] if number <= 3 else [])
        absent = [s for s in (beni, citra) if s not in present]
        assert mark(people_db, pid, number, present, absent, KMN)["recorded"] == 3
    with pytest.raises(ValidationFailed):
        mark(people_db, pid, 6, [ani])
    with pytest.raises(ValidationFailed):
        mark(people_db, pid, 1, [dedi])  # waiting, not enrolled
    with pytest.raises(ValidationFailed, match="marked twice"):
        mark(people_db, pid, 1, [ani], [ani])
    assert len(emitted(people_db, "attendance_recorded")) == 15
    to(people_db, pid, "completed")

    listed = {
        e["staff_id"]: e for e in read(people_db, enrolments.list_enrolments, pid, SYSTEM)["items"]
    }
    assert {s: e["status"] for s, e in listed.items()} == {
        ani: "completed",
        beni: "completed",
        citra: "not_completed",
        dedi: "waitlisted",
    }
    assert listed[beni]["attended"] == 4 and listed[citra]["certificate"] is None
    completed = emitted(people_db, "training_completed")
    assert [(e["data"]["staff_id"], e["data"]["hours"]) for e in completed] == [
        (ani, 16),
        (beni, 16),
    ]
    attained = [e["data"] for e in emitted(people_db, "competency_attained")]
    assert [(a["staff_id"], a["competency"], a["level"]) for a in attained] == [
        (ani, "TI-SIPUS", 2),
        (beni, "TI-SIPUS", 2),
    ]
    issued = [e["data"]["code"] for e in emitted(people_db, "certificate_issued")]
    assert issued == [listed[ani]["certificate"], listed[beni]["certificate"]]

    code = listed[ani]["certificate"]
    shown = read(people_db, certificates.verify_certificate, code)
    assert shown == {
        "code": code,
        "valid": True,
        "holder": "Ani",
        "topic": "Pelatihan SLiMS untuk sirkulasi",
        "kind": "training",
        "first_day": "2026-03-02",
        "last_day": "2026-03-06",
        "hours": 16,
        "issued_on": "2026-03-02",
        "revoked_at": None,
        "revoked_reason": None,
    }
    full = read(people_db, certificates.get_certificate, code, KMN)
    assert full["staff_id"] == ani and full["programme_id"] == pid
    with pytest.raises(Forbidden):
        read(people_db, certificates.get_certificate, code, SPN)
    with pytest.raises(Forbidden):
        read(people_db, certificates.get_certificate, code, PARTNER)
    for unknown in ("ABCDEFGHJK", code.lower(), "", "0" * 10):
        with pytest.raises(NotFound):
            read(people_db, certificates.verify_certificate, unknown)


def completed_certificate(db) -> str:
    pid = scheduled(db, sessions=[session(2)])
    s = new_staff(db, "Eka Putri")
    enrol(db, pid, s)
    to(db, pid, "running")
    mark(db, pid, 1, [s])
    to(db, pid, "completed")
    return emitted(db, "certificate_issued")[0]["data"]["code"]


def test_a_certificate_is_revoked_once_with_its_reason(people_db):
    code = completed_certificate(people_db)
    with pytest.raises(Forbidden):
        run(people_db, certificates.revoke_certificate, code, {"reason": "Salah cetak"}, KMN)
    with pytest.raises(ValidationFailed):
        run(people_db, certificates.revoke_certificate, code, {"reason": ""}, SYSTEM)
    revoked = run(
        people_db,
        certificates.revoke_certificate,
        code,
        {"reason": "Data kehadiran keliru"},
        SYSTEM,
    )
    assert revoked["valid"] is False and revoked["revoked_reason"] == "Data kehadiran keliru"
    shown = read(people_db, certificates.verify_certificate, code)
    assert shown["valid"] is False and shown["revoked_at"] == revoked["revoked_at"]
    with pytest.raises(Conflict):
        run(people_db, certificates.revoke_certificate, code, {"reason": "Lagi"}, SYSTEM)
    event = emitted(people_db, "certificate_revoked")[0]["data"]
    assert (event["code"], event["reason"]) == (code, "Data kehadiran keliru")


def test_the_certificate_pdf_holds_a_qr_code_of_its_verification_url(people_db):
    code = completed_certificate(people_db)
    made = read(people_db, certificates.certificate_pdf, code, SYSTEM, "https://pustaka.example/")
    pdf = base64.b64decode(made["pdf_base64"])
    assert pdf.startswith(b"%PDF-") and made["filename"] == f"sertifikat-{code}.pdf"
    assert b"/Subtype /Image" in pdf  # the QR code
    assert certificates.verification_url("https://pustaka.example/", code) == (
        f"https://pustaka.example/verify/{code}"
    )


def test_an_evaluation_is_recorded_beside_its_programme(people_db):
    pid = scheduled(people_db)
    data = {
        "campaign_id": "C000001",
        "subject_type": "programme",
        "subject_id": pid,
        "responses": 12,
        "average": 4.4,
        "summary": "Materi bermanfaat; waktu praktik kurang.",
    }
    run(people_db, evaluations.evaluation_summarized, data)
    evaluation = read(people_db, programmes.get_programme, pid)["evaluation"]
    assert evaluation == {k: v for k, v in data.items() if not k.startswith("subject")}
    assert (
        run(people_db, evaluations.evaluation_summarized, {**data, "subject_type": "event"}) is None
    )
    with pytest.raises(NotFound):
        run(people_db, evaluations.evaluation_summarized, {**data, "subject_id": "PRG000099"})
