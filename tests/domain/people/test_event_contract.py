"""Every event people emits is in its published contract and its data validates
against the schema there; none carries a NIP or a birth date (SQLite, then
PostgreSQL)."""

from chassis.context import SYSTEM
from chassis.envelope import REQUIRED, major_version
from gateway.edge.asyncapi import build_asyncapi
from services.people import (
    attendance,
    certificates,
    competencies,
    enrolments,
    lifecycle,
    programmes,
    staff,
)
from services.people.contract import CONTRACT

from .helpers import NIP, carries_no_nip, emitted, run


def test_every_emitted_event_matches_its_documented_schema(people_db):
    db = people_db
    ids = [
        run(
            db,
            staff.register_staff,
            {"name": f"Staf {i}", "branch": "KMN", "position": "ahli_pertama", "nip": nip},
            SYSTEM,
        )["id"]
        for i, nip in enumerate([NIP, None, None])
    ]
    run(db, staff.change_staff, ids[0], {"position": "ahli_muda"}, SYSTEM)
    payload = {
        "kind": "training",
        "topic": "Pengelolaan media sosial perpustakaan",
        "competencies": [{"competency": "TI-MEDSOS", "level": 3}],
        "hours": 12,
        "trainer": {"staff_id": ids[2]},
        "capacity": 1,
        "sessions": [
            {
                "date": "2026-05-04",
                "start": "13:00",
                "end": "16:00",
                "venue": {"kind": "online", "url": "https://meet.example.org/medsos"},
            }
        ],
    }
    pid = run(db, programmes.create_programme, payload, SYSTEM)["id"]
    run(db, lifecycle.transition, pid, {"to": "scheduled"}, SYSTEM)
    for s in ids[:2]:
        run(db, enrolments.enrol, pid, {"staff_id": s}, SYSTEM)
    run(db, enrolments.withdraw, pid, ids[0], SYSTEM)
    run(db, lifecycle.transition, pid, {"to": "running"}, SYSTEM)
    marks = {"session": 1, "marks": [{"staff_id": ids[1], "present": True}]}
    run(db, attendance.record_attendance, pid, marks, SYSTEM)
    run(db, lifecycle.transition, pid, {"to": "completed"}, SYSTEM)
    code = emitted(db, "certificate_issued")[0]["data"]["code"]
    run(db, certificates.revoke_certificate, code, {"reason": "Diterbitkan ganda"}, SYSTEM)
    put = {"competency": "TI-MEDSOS", "level": 2}
    run(db, competencies.put_requirement, "ahli_muda", put, SYSTEM)

    documented = build_asyncapi((("people", "services.people.contract"),))["channels"]
    seen = set()
    for envelope in emitted(db):
        event_type = envelope["type"].split(".", 1)[1]
        seen.add(event_type)
        assert set(REQUIRED) <= set(envelope)
        assert major_version(envelope) == 1
        assert f"people.events/{event_type}" in documented
        errors = CONTRACT.event(event_type).schema().validate(envelope["data"])
        assert errors == {}, (event_type, errors)
        assert carries_no_nip(envelope)
        assert "nip" not in envelope["data"] and "birth" not in str(envelope["data"])
    assert seen == {e.type for e in CONTRACT.events}
