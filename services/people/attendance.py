"""Attendance, per session, of the enrolled participants of a running programme. A
mark can be corrected by recording it again; a branch key marks its own staff."""

from __future__ import annotations

import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from chassis.context import Caller
from chassis.errors import Conflict, field_error
from chassis.schemas import load

from .contract import AttendanceInput
from .models import Attendance, Enrolment, ProgrammeSession, outbox
from .programmes import find_programme
from .staff import named_staff

attendance_input = AttendanceInput()


def record_attendance(session: Session, programme_id: str, payload: dict, caller: Caller) -> dict:
    caller.require_role("branch")
    data = load(attendance_input, payload)
    programme = find_programme(session, programme_id, for_update=True)
    if programme.status != "running":
        raise Conflict(
            f"{programme.id} is {programme.status}; attendance is recorded while it runs.",
            {"id": programme.id, "status": programme.status},
        )
    number = data["session"]
    if session.get(ProgrammeSession, (programme.seq, number)) is None:
        raise field_error("session", f"{programme.id} has no session {number}.")
    marks = []
    for i, mark in enumerate(data["marks"]):
        field = f"marks.{i}.staff_id"
        staff = named_staff(session, mark["staff_id"], field)
        caller.require_branch(staff.branch_code)
        enrolled = session.scalar(
            select(Enrolment.seq).where(
                Enrolment.programme_seq == programme.seq,
                Enrolment.staff_seq == staff.seq,
                Enrolment.status == "enrolled",
            )
        )
        if enrolled is None:
            raise field_error(field, f"{staff.id} is not enrolled in {programme.id}.")
        if any(staff is marked for marked, _ in marks):
            raise field_error(field, f"{staff.id} is marked twice.")
        marks.append((staff, mark["present"]))
    for staff, present in marks:
        row = session.get(Attendance, (programme.seq, number, staff.seq)) or Attendance(
            programme_seq=programme.seq, session_number=number, staff_seq=staff.seq
        )
        row.present, row.recorded_at = present, time.time()
        session.add(row)
    session.flush()
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
