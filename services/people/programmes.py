"""Development programmes (pelatihan, workshops, seminars): what they build and
their sessions. Headquarters plans them; anyone with a key reads them (they name no
one but their trainer). Their lifecycle is lifecycle.py's."""

from __future__ import annotations

import datetime as dt
import time

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from chassis.context import Caller
from chassis.errors import Conflict, field_error
from chassis.pagination import Keyset
from chassis.records import get_or_not_found
from chassis.schemas import load

from .competencies import competency
from .contract import PROGRAMME_ID, STAFF_ID, ProgrammeInput, ProgrammeQuery
from .models import Enrolment, Programme, ProgrammeCompetency, ProgrammeSession, branches
from .staff import named_staff

programme_input, programme_query = ProgrammeInput(), ProgrammeQuery()
NEWEST = Keyset(Programme.seq, descending=True)


def find_programme(session: Session, programme_id, for_update: bool | dict = False) -> Programme:
    return get_or_not_found(
        session,
        Programme,
        PROGRAMME_ID.parse(programme_id),
        noun="programme",
        named=programme_id,
        for_update=for_update,
    )


def sessions_of(session: Session, programme: Programme) -> list[ProgrammeSession]:
    return list(
        session.scalars(
            select(ProgrammeSession)
            .where(ProgrammeSession.programme_seq == programme.seq)
            .order_by(ProgrammeSession.number)
        )
    )


def built(session: Session, programme: Programme) -> list[dict]:
    rows = session.scalars(
        select(ProgrammeCompetency)
        .where(ProgrammeCompetency.programme_seq == programme.seq)
        .order_by(ProgrammeCompetency.competency_code)
    )
    return [{"competency": r.competency_code, "level": r.level} for r in rows]


def days(sessions: list[ProgrammeSession]) -> tuple[dt.date | None, dt.date | None]:
    dates = [s.date for s in sessions]
    return (min(dates), max(dates)) if dates else (None, None)


def _venue(s: ProgrammeSession) -> dict:
    if s.venue_kind == "online":
        return {"kind": "online", "url": s.url}
    return {"kind": "room", "branch": s.branch_code, "room": s.room}


# The enrolments that hold a place: taking part, or settled at the end.
PLACES = ("enrolled", "completed", "not_completed")


def counts(session: Session, programme: Programme) -> dict[str, int]:
    rows = session.execute(
        select(Enrolment.status, func.count())
        .where(Enrolment.programme_seq == programme.seq)
        .group_by(Enrolment.status)
    )
    return dict(rows.all())


def dump_programme(session: Session, programme: Programme) -> dict:
    trainer = (
        {"staff_id": STAFF_ID.format(programme.trainer_staff_seq), "name": None}
        if programme.trainer_staff_seq
        else {"staff_id": None, "name": programme.trainer_name}
    )
    counted = counts(session, programme)
    return {
        "id": programme.id,
        "kind": programme.kind,
        "topic": programme.topic,
        "description": programme.description,
        "competencies": built(session, programme),
        "hours": programme.hours,
        "trainer": trainer,
        "capacity": programme.capacity,
        "completion_percent": programme.completion_percent,
        "sessions": [
            {
                "number": s.number,
                "date": s.date.isoformat(),
                "start": s.start,
                "end": s.end,
                "venue": _venue(s),
            }
            for s in sessions_of(session, programme)
        ],
        "status": programme.status,
        "enrolled": sum(counted.get(status, 0) for status in PLACES),
        "waitlisted": counted.get("waitlisted", 0),
        "evaluation": programme.evaluation,
        "version": programme.version,
    }


def event_data(session: Session, programme: Programme) -> dict:
    first, last = days(sessions_of(session, programme))
    return {
        "id": programme.id,
        "kind": programme.kind,
        "topic": programme.topic,
        "hours": programme.hours,
        "capacity": programme.capacity,
        "competencies": built(session, programme),
        "first_day": first and first.isoformat(),
        "last_day": last and last.isoformat(),
        "status": programme.status,
    }


def _write(session: Session, programme: Programme, payload: dict) -> None:
    """Check every name the payload uses, then write the programme whole."""
    data = load(programme_input, payload)
    levels = {}
    for i, wanted in enumerate(data["competencies"]):
        field = f"competencies.{i}.competency"
        found = competency(session, wanted["competency"], field)
        if wanted["level"] > found.levels:
            raise field_error(
                f"competencies.{i}.level", f"{found.code}'s scale goes to {found.levels}."
            )
        if found.code in levels:
            raise field_error(field, f"{found.code} is named twice.")
        levels[found.code] = wanted["level"]
    trainer = data["trainer"]
    trainer_seq = (
        named_staff(session, trainer["staff_id"], "trainer.staff_id").seq
        if trainer.get("staff_id")
        else None
    )
    for i, s in enumerate(data["sessions"]):
        if s["venue"]["kind"] == "room":
            branches.require(session, s["venue"]["branch"], f"sessions.{i}.venue.branch")
    programme.kind, programme.topic = data["kind"], data["topic"]
    programme.description, programme.hours = data.get("description"), data["hours"]
    programme.trainer_staff_seq = trainer_seq
    programme.trainer_name = None if trainer_seq else trainer["name"]
    programme.capacity, programme.completion_percent = data["capacity"], data["completion_percent"]
    programme.updated_at = time.time()
    session.add(programme)
    session.flush()
    for table in (ProgrammeCompetency, ProgrammeSession):
        session.execute(delete(table).where(table.programme_seq == programme.seq))
    session.add_all(
        ProgrammeCompetency(programme_seq=programme.seq, competency_code=code, level=level)
        for code, level in levels.items()
    )
    ordered = sorted(data["sessions"], key=lambda s: (s["date"], s["start"]))
    session.add_all(
        ProgrammeSession(
            programme_seq=programme.seq,
            number=number,
            date=s["date"],
            start=s["start"],
            end=s["end"],
            venue_kind=s["venue"]["kind"],
            branch_code=s["venue"].get("branch") if s["venue"]["kind"] == "room" else None,
            room=s["venue"].get("room") if s["venue"]["kind"] == "room" else None,
            url=s["venue"].get("url") if s["venue"]["kind"] == "online" else None,
        )
        for number, s in enumerate(ordered, start=1)
    )
    session.flush()


def create_programme(session: Session, payload: dict, caller: Caller) -> dict:
    caller.require_role()
    programme = Programme(status="draft")
    _write(session, programme, payload)
    return dump_programme(session, programme)


def replace_programme(session: Session, programme_id: str, payload: dict, caller: Caller) -> dict:
    """A draft is replaced whole; once scheduled, people plan around it."""
    caller.require_role()
    programme = find_programme(session, programme_id, for_update=True)
    if programme.status != "draft":
        raise Conflict(
            f"{programme.id} is {programme.status}; only a draft can be changed.",
            {"id": programme.id, "status": programme.status},
        )
    _write(session, programme, payload)
    programme.version += 1
    return dump_programme(session, programme)


def get_programme(session: Session, programme_id: str) -> dict:
    return dump_programme(session, find_programme(session, programme_id))


def list_programmes(session: Session, params: dict) -> dict:
    """Newest first, a page at a time."""
    query = load(programme_query, params)
    stmt = select(Programme)
    if "status" in query:
        stmt = stmt.where(Programme.status == query["status"])
    if "kind" in query:
        stmt = stmt.where(Programme.kind == query["kind"])
    if "competency" in query:
        stmt = stmt.where(
            Programme.seq.in_(
                select(ProgrammeCompetency.programme_seq).where(
                    ProgrammeCompetency.competency_code == query["competency"]
                )
            )
        )
    rows, cursor = NEWEST.fetch(session, stmt, query["limit"], query.get("cursor"))
    return {"items": [dump_programme(session, p) for p in rows], "next_cursor": cursor}
