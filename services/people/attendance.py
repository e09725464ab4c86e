"""Attendance, per session, of the enrolled participants of a running programme. A
mark can be corrected by recording it again; a branch key marks its own staff."""

from __future__ import annotations

import time

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from chassis.bulk import upsert_rows
from chassis.context import Caller
from chassis.errors import Conflict, field_error
from chassis.records import SHARED
from chassis.schemas import load

from .contract import STAFF_ID, AttendanceInput
from .models import Attendance, Enrolment, Programme, ProgrammeSession, Staff, outbox
from .programmes import find_programme

attendance_input = AttendanceInput()


def record_attendance(session: Session, programme_id: str, payload: dict, caller: Caller) -> dict:
    caller.require_role("branch")
    data = load(attendance_input, payload)
    # Shared: marks for a programme are recorded side by side, while a change of its
    # status or of who takes part (each locks it FOR UPDATE) waits for them to end.
    programme = find_programme(session, programme_id, for_update=SHARED)
    if programme.status != "running":
        raise Conflict(
            f"{programme.id} is {programme.status}; attendance is recorded while it runs.",
            {"id": programme.id, "status": programme.status},
        )
    number = data["session"]
    held, named = _session_and_staff(session, programme, number, data["marks"])
    if not held:
        raise field_error("session", f"{programme.id} has no session {number}.")
    marks = []
    for i, mark in enumerate(data["marks"]):
        field = f"marks.{i}.staff_id"
        staff, enrolled = named.get(STAFF_ID.parse(mark["staff_id"]), (None, False))
        if staff is None:
            raise field_error(field, f"No member of staff {mark['staff_id']!r}.")
        caller.require_branch(staff.branch_code)
        if not enrolled:
            raise field_error(field, f"{staff.id} is not enrolled in {programme.id}.")
        if any(staff is marked for marked, _ in marks):
            raise field_error(field, f"{staff.id} is marked twice.")
        marks.append((staff, mark["present"]))
    now = time.time()
    # An upsert: a mark recorded again (or at the same moment) corrects the first.
    upsert_rows(
        session,
        Attendance.__table__,
        [
            {
                "programme_seq": programme.seq,
                "session_number": number,
                "staff_seq": staff.seq,
                "present": present,
                "recorded_at": now,
            }
            for staff, present in marks
        ],
    )
    outbox.emit_many(
        session,
        [
            (
                "attendance_recorded",
                staff.id,
                {
                    "programme_id": programme.id,
                    "session": number,
                    "staff_id": staff.id,
                    "present": present,
                },
            )
            for staff, present in marks
        ],
    )
    return {"programme_id": programme.id, "session": number, "recorded": len(marks)}


# _session_and_staff's one query, built once.
SESSION_AND_STAFF = select(
    Staff,
    select(Enrolment.seq)
    .where(
        Enrolment.programme_seq == bindparam("programme"),
        Enrolment.staff_seq == Staff.seq,
        Enrolment.status == "enrolled",
    )
    .exists(),
    select(ProgrammeSession.number)
    .where(
        ProgrammeSession.programme_seq == bindparam("programme"),
        ProgrammeSession.number == bindparam("number"),
    )
    .exists(),
).where(Staff.seq.in_(bindparam("seqs", expanding=True)))


def _session_and_staff(
    session: Session, programme: Programme, number: int, marks: list[dict]
) -> tuple[bool, dict[int, tuple[Staff, bool]]]:
    """(whether the programme has session `number`, {seq: (member of staff, enrolled in
    the programme)} of the staff the marks name that exist), in one query."""
    seqs = {STAFF_ID.parse(mark["staff_id"]) for mark in marks} - {None}
    at = {"programme": programme.seq, "number": number, "seqs": list(seqs)}
    rows = session.execute(SESSION_AND_STAFF, at).all()
    if not rows:  # no one the marks name exists: the session is asked alone
        return session.get(ProgrammeSession, (programme.seq, number)) is not None, {}
    return rows[0][2], {staff.seq: (staff, is_enrolled) for staff, is_enrolled, _ in rows}
