"""Enrolment in a programme, with its capacity: past it, staff wait in the order
they came, and a withdrawal of an enrolled participant promotes the first waiting.

The programme's row is locked for each enrolment and withdrawal (FOR UPDATE on
PostgreSQL; SQLite's writers take turns), so simultaneous enrolments count the places
one at a time: never more enrolled than the capacity, never a waiting person passed."""

from __future__ import annotations

import time
from typing import NamedTuple

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.orm import Session

from chassis.context import Caller
from chassis.db import insert_at_end, locked_first
from chassis.errors import Conflict, NotFound
from chassis.records import not_found
from chassis.schemas import load

from .contract import PROGRAMME_ID, STAFF_ID, EnrolmentInput
from .models import Attendance, Certificate, Enrolment, Programme, Staff, outbox
from .programmes import find_programme
from .staff import branch_seen_by, no_such_staff, staff_for

enrolment_input = EnrolmentInput()
OPEN = ("scheduled", "running")  # the statuses in which people enrol and withdraw
TAKING_PART = ("enrolled", "waitlisted")


def _open(programme: Programme) -> None:
    if programme.status not in OPEN:
        raise Conflict(
            f"{programme.id} is {programme.status}; enrolments are open while it is "
            "scheduled or running.",
            {"id": programme.id, "status": programme.status},
        )


def _event(programme: Programme, staff: Staff, status: str) -> dict:
    return {
        "programme_id": programme.id,
        "staff_id": staff.id,
        "branch": staff.branch_code,
        "status": status,
    }


def enrol(session: Session, programme_id: str, payload: dict, caller: Caller) -> dict:
    caller.require_role("branch")
    data = load(enrolment_input, payload)
    programme, staff, places = _locked_with_places(session, programme_id, data["staff_id"])
    caller.require_branch(staff.branch_code)
    _open(programme)
    if not staff.active:
        raise Conflict(f"{staff.id} is not active.", {"staff_id": staff.id})
    if places.had not in (None, "withdrawn"):
        raise Conflict(
            f"{staff.id} is already {places.had} in {programme.id}.",
            {"staff_id": staff.id, "status": places.had},
        )
    if places.had is not None:  # enrolling again: at the back of the line
        session.execute(
            delete(Enrolment).where(
                Enrolment.programme_seq == programme.seq, Enrolment.staff_seq == staff.seq
            )
        )
    status = "enrolled" if places.enrolled < programme.capacity else "waitlisted"
    row = {
        "programme_seq": programme.seq,
        "staff_seq": staff.seq,
        "status": status,
        "completed_on": None,
        "updated_at": time.time(),
    }
    insert_at_end(session, Enrolment.__table__, [row])  # with its event; its seq then
    enrolment = Enrolment(**row)
    outbox.emit(session, "staff_enrolled", staff.id, _event(programme, staff, status))
    position = places.waitlisted + 1 if status == "waitlisted" else None  # the last
    if places.had is not None:  # sessions attended before withdrawing still count
        return dump_enrolment(session, programme, staff, enrolment, position)
    # New to the programme: nothing attended, no certificate.
    return _answer(programme, staff, enrolment, position, attended=0, certificate=None)


class _Places(NamedTuple):
    enrolled: int
    waitlisted: int
    had: str | None  # the status of this person's enrolment there, if any


def _counted(status: str):
    in_programme = Enrolment.programme_seq == bindparam("programme")
    return select(func.count()).where(in_programme, Enrolment.status == status).scalar_subquery()


# _locked_with_places's one query, built once. On PostgreSQL the programme is locked
# by a statement of its own sent before it in the same round trip (locked_first), so
# that it reads the places as the lock's last holder left them; one statement that
# locked the row and counted would count them as they were before it waited. On
# SQLite a writer waits at BEGIN.
PROGRAMME_STAFF_AND_PLACES = locked_first(
    select(
        Programme,
        Staff,
        _counted("enrolled"),
        _counted("waitlisted"),
        select(Enrolment.status)
        .where(Enrolment.programme_seq == Programme.seq, Enrolment.staff_seq == Staff.seq)
        .scalar_subquery(),
    )
    .select_from(Programme)
    .outerjoin(Staff, Staff.seq == bindparam("staff"))
    .where(Programme.seq == bindparam("programme")),
    Programme.__table__,
    "programme",
)


def _locked_with_places(
    session: Session, programme_id: str, staff_id
) -> tuple[Programme, Staff, _Places]:
    """The programme (locked), the member of staff a body names (else a 400 on
    staff_id) and the programme's places: one round trip."""
    seq = PROGRAMME_ID.parse(programme_id)
    params = {"programme": seq, "staff": STAFF_ID.parse(staff_id)}
    row = session.execute(PROGRAMME_STAFF_AND_PLACES, params).first() if seq else None
    if row is None:
        raise not_found("programme", programme_id)
    if row[1] is None:
        raise no_such_staff("staff_id", staff_id)
    return row[0], row[1], _Places(*row[2:])


def withdraw(session: Session, programme_id: str, staff_id: str, caller: Caller) -> dict:
    programme = find_programme(session, programme_id, for_update=True)
    staff = staff_for(session, staff_id, caller, field="staff_id")
    _open(programme)
    enrolment = session.scalar(
        select(Enrolment).where(
            Enrolment.programme_seq == programme.seq,
            Enrolment.staff_seq == staff.seq,
            Enrolment.status.in_(TAKING_PART),
        )
    )
    if enrolment is None:
        raise NotFound(
            f"{staff.id} is not enrolled in {programme.id}.",
            {"programme_id": programme.id, "staff_id": staff.id},
        )
    was = enrolment.status
    enrolment.status, enrolment.updated_at = "withdrawn", time.time()
    session.flush()
    if was == "enrolled":
        _promote_next(session, programme)
    return dump_enrolment(session, programme, staff, enrolment)


def _promote_next(session: Session, programme: Programme) -> None:
    """The first waiting takes the place a withdrawal freed."""
    first = session.scalar(
        select(Enrolment)
        .where(Enrolment.programme_seq == programme.seq, Enrolment.status == "waitlisted")
        .order_by(Enrolment.seq)
        .limit(1)
    )
    if first is None:
        return
    first.status, first.updated_at = "enrolled", time.time()
    session.flush()
    staff = session.get(Staff, first.staff_seq)
    outbox.emit(session, "waitlist_promoted", staff.id, _event(programme, staff, "enrolled"))


def attended(session: Session, programme: Programme, staff_seq: int) -> int:
    return session.scalar(
        select(func.count()).where(
            Attendance.programme_seq == programme.seq,
            Attendance.staff_seq == staff_seq,
            Attendance.present.is_(True),
        )
    )


def dump_enrolment(
    session: Session,
    programme: Programme,
    staff: Staff,
    enrolment: Enrolment,
    position: int | None = None,
) -> dict:
    """`position`: its place on the waitlist, if known (else counted)."""
    if position is None and enrolment.status == "waitlisted":
        position = session.scalar(
            select(func.count()).where(
                Enrolment.programme_seq == programme.seq,
                Enrolment.status == "waitlisted",
                Enrolment.seq <= enrolment.seq,
            )
        )
    certificate = session.scalar(
        select(Certificate.code).where(
            Certificate.programme_seq == programme.seq, Certificate.staff_seq == staff.seq
        )
    )
    attended_sessions = attended(session, programme, staff.seq)
    return _answer(programme, staff, enrolment, position, attended_sessions, certificate)


def _answer(
    programme: Programme,
    staff: Staff,
    enrolment: Enrolment,
    position: int | None,
    attended: int,
    certificate: str | None,
) -> dict:
    return {
        "programme_id": programme.id,
        "staff_id": STAFF_ID.format(staff.seq),
        "name": staff.name,
        "branch": staff.branch_code,
        "status": enrolment.status,
        "waitlist_position": position,
        "attended": attended,
        "certificate": certificate,
    }


def list_enrolments(session: Session, programme_id: str, caller: Caller) -> dict:
    """Who takes part, in the order they came; a branch key sees its own staff only."""
    branch = branch_seen_by(caller, None)
    programme = find_programme(session, programme_id)
    stmt = (
        select(Enrolment, Staff)
        .join(Staff, Staff.seq == Enrolment.staff_seq)
        .where(Enrolment.programme_seq == programme.seq)
        .order_by(Enrolment.seq)
    )
    if branch is not None:
        stmt = stmt.where(Staff.branch_code == branch)
    return {"items": [dump_enrolment(session, programme, s, e) for e, s in session.execute(stmt)]}
