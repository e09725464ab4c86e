"""At the door: a librarian of the programme's branch enters or scans a code and
sees at once who it is and where they stand; walk-ins are recorded too. Completing
an occurrence closes its attendance and tells feedback (event_completed), which
opens a survey for those who came and can be asked: so an occurrence is completed
only once it has started, never before it has happened."""

from __future__ import annotations

import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from chassis.context import Caller
from chassis.errors import Conflict
from chassis.schemas import load

from .contract import PARTNER_ID, REGISTRATION_ID, WalkIn
from .models import Occurrence, Programme, Registration, outbox
from .programmes import cohosts, find_occurrence
from .registrations import by_code, door_rows, dump_registration, new_code
from .times import iso_local

walk_in_input = WalkIn()
OUTCOMES = {"waitlisted": "waitlisted", "cancelled": "cancelled", "walk_in": "already_in"}


def _at_the_door(session: Session, code, caller: Caller, for_update: bool = False):
    """The registration holding `code`, its occurrence and programme, for a librarian
    of the programme's branch (or headquarters)."""
    registration, occurrence, programme = by_code(session, code, for_update)
    _at_the_branch(caller, programme)
    return registration, occurrence, programme


def _at_the_branch(caller: Caller, programme) -> None:
    """A librarian of the programme's branch, or headquarters."""
    caller.require_role("branch")
    caller.require_branch(programme.branch_code)


def _attendance(programme: Programme, occurrence: Occurrence, registration: Registration) -> dict:
    return {
        "registration_id": registration.id,
        "occurrence_id": occurrence.id,
        "programme_id": programme.id,
        "branch": programme.branch_code,
        "walk_in": registration.status == "walk_in",
        "age_group": registration.age_group,
        "partner_id": registration.partner_seq and PARTNER_ID.format(registration.partner_seq),
    }


def lookup_code(reader, code: str, caller: Caller) -> dict:
    """Who holds the code (the branch sees the name and contact): one SELECT."""
    registration, occurrence, programme = door_rows(reader, code)
    _at_the_branch(caller, programme)
    return dump_registration(registration, occurrence, programme, True)


def _open_door(occurrence: Occurrence) -> None:
    if occurrence.status != "scheduled":
        raise Conflict(
            f"{occurrence.id} is {occurrence.status}; its door is closed.",
            {"occurrence_id": occurrence.id, "status": occurrence.status},
        )


def check_in(session: Session, code: str, caller: Caller) -> dict:
    """Let a confirmed participant in (once); anyone else is told where they stand,
    and nothing changes."""
    registration, occurrence, programme = _at_the_door(session, code, caller, for_update=True)
    _open_door(occurrence)
    if registration.status == "confirmed" and registration.checked_in_at is None:
        registration.checked_in_at = registration.updated_at = time.time()
        session.flush()
        outbox.emit(
            session,
            "attendance_recorded",
            registration.id,
            _attendance(programme, occurrence, registration),
        )
        outcome = "checked_in"
    elif registration.status == "confirmed":
        outcome = "already_in"
    else:
        outcome = OUTCOMES[registration.status]
    return {
        "registration": dump_registration(registration, occurrence, programme, True),
        "outcome": outcome,
    }


def walk_in(session: Session, occurrence_id: str, payload: dict, caller: Caller) -> dict:
    """Someone came without registering: they count in the attendance."""
    data = load(walk_in_input, payload)
    occurrence = find_occurrence(session, occurrence_id, for_update=True)
    programme = session.get(Programme, occurrence.programme_seq)
    caller.require_role("branch")
    caller.require_branch(programme.branch_code)
    _open_door(occurrence)
    now = time.time()
    registration = Registration(
        occurrence_seq=occurrence.seq,
        name=data.get("name"),
        age_group=data.get("age_group"),
        status="walk_in",
        code=new_code(session),
        checked_in_at=now,
        created_at=now,
        updated_at=now,
    )
    session.add(registration)
    session.flush()
    outbox.emit(
        session,
        "attendance_recorded",
        registration.id,
        _attendance(programme, occurrence, registration),
    )
    return {
        "registration": dump_registration(registration, occurrence, programme, True),
        "outcome": "walk_in",
    }


def attendance_of(session: Session, occurrence: Occurrence) -> dict:
    rows = session.execute(
        select(
            Registration.seq, Registration.status, Registration.checked_in_at, Registration.contact
        ).where(
            Registration.occurrence_seq == occurrence.seq,
            Registration.status.in_(("confirmed", "walk_in")),
        )
    ).all()
    registered = [r for r in rows if r.status == "confirmed"]
    came = [r for r in rows if r.checked_in_at is not None]
    walk_ins = sum(1 for r in rows if r.status == "walk_in")
    return {
        "registered": len(registered),
        "attended": len(came),
        "walk_ins": walk_ins,
        "no_shows": sum(1 for r in registered if r.checked_in_at is None),
        "attendees": [REGISTRATION_ID.format(r.seq) for r in sorted(came)],
        # a walk-in leaves no contact: nobody could send them a survey
        "invitable": [REGISTRATION_ID.format(r.seq) for r in sorted(came) if r.contact],
    }


def complete_occurrence(
    session: Session, occurrence_id: str, caller: Caller, now: float | None = None
) -> dict:
    """Close an occurrence's attendance once it has started (at `now`, default the
    clock's): event_completed carries the counts and the registrations of those who
    came (ids only)."""
    now = time.time() if now is None else now
    occurrence = find_occurrence(session, occurrence_id, for_update=True)
    programme = session.get(Programme, occurrence.programme_seq)
    caller.require_role("branch")
    caller.require_branch(programme.branch_code)
    if occurrence.status != "scheduled" or programme.status != "published":
        raise Conflict(
            f"{occurrence.id} is {occurrence.status} (programme {programme.status}); only a "
            "scheduled occurrence of a published programme is completed.",
            {"id": occurrence.id, "status": occurrence.status},
        )
    if now < occurrence.starts_at:
        raise Conflict(
            f"{occurrence.id} starts at {iso_local(occurrence.starts_at)}; it is completed "
            "once it has started.",
            {"id": occurrence.id, "starts_at": iso_local(occurrence.starts_at)},
        )
    occurrence.status, occurrence.updated_at = "completed", now
    session.flush()
    counted = attendance_of(session, occurrence)
    outbox.emit(
        session,
        "event_completed",
        occurrence.id,
        {
            "occurrence_id": occurrence.id,
            "programme_id": programme.id,
            "title": programme.title,
            "programme_type": programme.programme_type,
            "audience": programme.audience,
            "branch": programme.branch_code,
            "starts_at": iso_local(occurrence.starts_at),
            "ends_at": iso_local(occurrence.ends_at),
            "partners": [PARTNER_ID.format(p) for p in sorted(cohosts(session, programme))],
            **counted,
        },
    )
    return {
        "occurrence_id": occurrence.id,
        **{k: v for k, v in counted.items() if k not in ("attendees", "invitable")},
    }
