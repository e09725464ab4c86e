"""The month's figures per branch, as the city reports them for its community
literacy index: programmes and occurrences held, registrations, attendance (by
audience and by partner), no-shows and their rate, and the waitlist's demand.
Counted over the occurrences completed in the month (WIB), in a few grouped
queries over the month's index."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from chassis.context import Caller
from chassis.schemas import load

from .contract import PARTNER_ID, FiguresQuery
from .models import Occurrence, Programme, Registration

figures_query = FiguresQuery()


def figures(session: Session, params: dict, caller: Caller) -> dict:
    query = load(figures_query, params)
    caller.require_role("branch")
    branch = query.get("branch")
    if caller.role == "branch":
        branch = branch or caller.branch
        caller.require_branch(branch)
    held = (
        select(Occurrence.seq, Occurrence.programme_seq, Programme.branch_code, Programme.audience)
        .join(Programme, Programme.seq == Occurrence.programme_seq)
        .where(Occurrence.month == query["month"], Occurrence.status == "completed")
    )
    if branch:
        held = held.where(Programme.branch_code == branch)
    held = held.subquery()
    per_branch = session.execute(
        select(
            held.c.branch_code,
            func.count(func.distinct(held.c.programme_seq)),
            func.count(),
        ).group_by(held.c.branch_code)
    ).all()
    came = Registration.checked_in_at.is_not(None)
    registered = Registration.status == "confirmed"
    rows = session.execute(
        select(
            held.c.branch_code,
            held.c.audience,
            Registration.partner_seq,
            func.sum(case((registered, 1), else_=0)),
            func.sum(case((came, 1), else_=0)),
            func.sum(case((Registration.status == "walk_in", 1), else_=0)),
            func.sum(case((registered & Registration.checked_in_at.is_(None), 1), else_=0)),
            func.sum(case((Registration.was_waitlisted, 1), else_=0)),
        )
        .join(held, held.c.seq == Registration.occurrence_seq)
        .group_by(held.c.branch_code, held.c.audience, Registration.partner_seq)
    ).all()
    out: dict[str, dict] = {}
    for code, programmes, occurrences in per_branch:
        out[code] = {
            "branch": code,
            "month": query["month"],
            "programmes_held": programmes,
            "occurrences_held": occurrences,
            "registrations": 0,
            "attendance": 0,
            "walk_ins": 0,
            "no_shows": 0,
            "no_show_rate": None,
            "waitlisted": 0,
            "by_audience": defaultdict(int),
            "by_partner": defaultdict(int),
        }
    for code, audience, partner, regs, attended, walk_ins, no_shows, waited in rows:
        figures_ = out[code]
        figures_["registrations"] += int(regs or 0)
        figures_["attendance"] += int(attended or 0)
        figures_["walk_ins"] += int(walk_ins or 0)
        figures_["no_shows"] += int(no_shows or 0)
        figures_["waitlisted"] += int(waited or 0)
        figures_["by_audience"][audience] += int(attended or 0)
        if partner is not None:
            figures_["by_partner"][PARTNER_ID.format(partner)] += int(attended or 0)
    for figures_ in out.values():
        if figures_["registrations"]:
            figures_["no_show_rate"] = round(figures_["no_shows"] / figures_["registrations"], 4)
        figures_["by_audience"] = dict(figures_["by_audience"])
        figures_["by_partner"] = dict(figures_["by_partner"])
    return {"month": query["month"], "items": [out[code] for code in sorted(out)]}
