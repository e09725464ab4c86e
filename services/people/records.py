"""A member of staff's development record for a year: the programmes they completed
(with their learning hours, JP, and certificates), the competencies they have shown
and at what level, and the year's rating with the credit points it earns. Per person,
or for every member of staff (a branch's) as an export."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from chassis.context import Caller
from chassis.errors import field_error
from chassis.schemas import load

from .contract import PROGRAMME_ID, RatingInput, RecordQuery
from .credits import annual_credit
from .models import (
    Certificate,
    Competency,
    Enrolment,
    Evidence,
    PositionHistory,
    Programme,
    Rating,
    Staff,
)
from .staff import branch_seen_by, staff_for

rating_input, record_query = RatingInput(), RecordQuery()


def _year(year) -> int:
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise field_error("year", "A year from 2000 to 2100.")
    return year


def position_in(session: Session, staff: Staff, year: int) -> str:
    """The position held at the end of `year`, by the history (else the current)."""
    held = session.scalar(
        select(PositionHistory.position)
        .where(
            PositionHistory.staff_seq == staff.seq,
            PositionHistory.effective <= dt.date(year, 12, 31),
        )
        .order_by(PositionHistory.effective.desc(), PositionHistory.id.desc())
        .limit(1)
    )
    return held or staff.position


def shown_levels(session: Session, staff_seqs: list[int], until: dt.date | None = None):
    """{staff seq: {competency: (highest level, [programme ids])}} from the evidence."""
    stmt = select(Evidence).where(Evidence.staff_seq.in_(staff_seqs)).order_by(Evidence.id)
    if until is not None:
        stmt = stmt.where(Evidence.attained_on <= until)
    shown: dict[int, dict[str, tuple[int, list[str]]]] = {s: {} for s in staff_seqs}
    for e in session.scalars(stmt):
        level, by = shown[e.staff_seq].get(e.competency_code, (0, []))
        shown[e.staff_seq][e.competency_code] = (
            max(level, e.level),
            [*by, PROGRAMME_ID.format(e.programme_seq)],
        )
    return shown


def _record(session: Session, staff: Staff, year: int, shown: dict, proficient: dict) -> dict:
    done = session.execute(
        select(Enrolment, Programme, Certificate)
        .join(Programme, Programme.seq == Enrolment.programme_seq)
        .outerjoin(
            Certificate,
            (Certificate.programme_seq == Enrolment.programme_seq)
            & (Certificate.staff_seq == Enrolment.staff_seq),
        )
        .where(
            Enrolment.staff_seq == staff.seq,
            Enrolment.status == "completed",
            Enrolment.completed_on >= dt.date(year, 1, 1),
            Enrolment.completed_on <= dt.date(year, 12, 31),
        )
        .order_by(Enrolment.completed_on, Programme.seq)
    ).all()
    position = position_in(session, staff, year)
    rating = session.get(Rating, (staff.seq, year))
    return {
        "staff_id": staff.id,
        "name": staff.name,
        "branch": staff.branch_code,
        "position": position,
        "year": year,
        "hours": sum(p.hours for _, p, _ in done),
        "programmes": [
            {
                "programme_id": p.id,
                "topic": p.topic,
                "kind": p.kind,
                "hours": p.hours,
                "completed_on": e.completed_on.isoformat(),
                "certificate": c.code if c else None,
                "certificate_valid": bool(c and c.revoked_at is None),
            }
            for e, p, c in done
        ],
        "competencies": [
            {
                "competency": code,
                "level": level,
                "proficient": level >= proficient[code],
                "evidence": by,
            }
            for code, (level, by) in sorted(shown.items())
        ],
        "rating": rating.rating if rating else None,
        "months": rating.months if rating else None,
        "credit": annual_credit(position, rating.rating, rating.months) if rating else None,
    }


def _proficient(session: Session) -> dict[str, int]:
    return dict(session.execute(select(Competency.code, Competency.proficient)).all())


def development_record(session: Session, staff_id: str, year, caller: Caller) -> dict:
    year = _year(year)
    staff = staff_for(session, staff_id, caller)
    shown = shown_levels(session, [staff.seq], dt.date(year, 12, 31))[staff.seq]
    return _record(session, staff, year, shown, _proficient(session))


def development_records(session: Session, params: dict, caller: Caller) -> dict:
    """Every member of staff's record for a year (a branch key: its branch's)."""
    caller.require_role("branch")
    query = load(record_query, params)
    branch = branch_seen_by(caller, query.get("branch"))
    stmt = select(Staff).order_by(Staff.seq)
    if branch:
        stmt = stmt.where(Staff.branch_code == branch)
    everyone = list(session.scalars(stmt))
    until = dt.date(query["year"], 12, 31)
    shown = shown_levels(session, [s.seq for s in everyone], until)
    proficient = _proficient(session)
    return {
        "items": [_record(session, s, query["year"], shown[s.seq], proficient) for s in everyone]
    }


def rate_staff(session: Session, staff_id: str, year, payload: dict, caller: Caller) -> dict:
    """Record a year's rating (headquarters: it sets credit points)."""
    caller.require_role()
    year = _year(year)
    staff = staff_for(session, staff_id, caller)
    data = load(rating_input, payload)
    row = session.get(Rating, (staff.seq, year)) or Rating(staff_seq=staff.seq, year=year)
    row.rating, row.months = data["rating"], data["months"]
    session.add(row)
    session.flush()
    return development_record(session, staff_id, year, caller)
