"""Competency gaps: what a member of staff's position requires against the levels
they have shown, and the scheduled programmes that would close each gap (those that
build the competency to at least the level required). Per person, and for a branch:
who is short of what."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from chassis.branches import BRANCH_CODE
from chassis.context import Caller
from chassis.records import get_or_not_found

from .competencies import required_levels
from .models import Branch, Programme, ProgrammeCompetency, Staff
from .records import shown_levels
from .staff import staff_for


def _closing(session: Session) -> dict[str, list[tuple[int, str]]]:
    """{competency: [(level built, programme id)]} of the scheduled programmes."""
    rows = session.execute(
        select(ProgrammeCompetency, Programme)
        .join(Programme, Programme.seq == ProgrammeCompetency.programme_seq)
        .where(Programme.status == "scheduled")
        .order_by(Programme.seq)
    )
    found: dict[str, list[tuple[int, str]]] = {}
    for built, programme in rows:
        found.setdefault(built.competency_code, []).append((built.level, programme.id))
    return found


def _gaps(staff: Staff, requires: dict, shown: dict, closing: dict) -> dict:
    """One person's gaps: `requires` is what their position requires, per competency."""
    gaps = []
    for code, required in sorted(requires.items()):
        attained = shown.get(code, (0, []))[0]
        if attained < required:
            programmes = [pid for level, pid in closing.get(code, []) if level >= required]
            gaps.append(
                {
                    "competency": code,
                    "required": required,
                    "attained": attained,
                    "closing": programmes,
                }
            )
    return {
        "staff_id": staff.id,
        "name": staff.name,
        "branch": staff.branch_code,
        "position": staff.position,
        "gaps": gaps,
    }


def staff_gaps(session: Session, staff_id: str, caller: Caller) -> dict:
    staff = staff_for(session, staff_id, caller)
    shown = shown_levels(session, [staff.seq])[staff.seq]
    return _gaps(staff, required_levels(session, staff.position), shown, _closing(session))


def branch_gaps(session: Session, branch: str, caller: Caller) -> dict:
    """The active staff of a branch and their gaps, and per competency who is short
    of it and what would close it."""
    caller.require_role("branch")
    caller.require_branch(branch)
    fit = isinstance(branch, str) and BRANCH_CODE.match(branch)
    get_or_not_found(session, Branch, branch if fit else None, noun="branch", named=branch)
    staff = list(
        session.scalars(
            select(Staff)
            .where(Staff.branch_code == branch, Staff.active.is_(True))
            .order_by(Staff.seq)
        )
    )
    shown = shown_levels(session, [s.seq for s in staff])
    closing = _closing(session)
    # what each position requires, read once per position, not once per person
    requires = {p: required_levels(session, p) for p in {s.position for s in staff}}
    people = [_gaps(s, requires[s.position], shown[s.seq], closing) for s in staff]
    by_competency: dict[str, dict] = {}
    for person in people:
        del person["branch"]  # the report's
        for gap in person["gaps"]:
            entry = by_competency.setdefault(
                gap["competency"], {"competency": gap["competency"], "staff": [], "closing": []}
            )
            entry["staff"].append(person["staff_id"])
            entry["closing"] += [p for p in gap.pop("closing") if p not in entry["closing"]]
    return {
        "branch": branch,
        "competencies": [by_competency[c] for c in sorted(by_competency)],
        "staff": people,  # each gap's closing programmes are said once, above
    }
