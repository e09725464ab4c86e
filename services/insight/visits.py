"""The visitors' book: each visitor at a branch's entrance (their purpose, their age
group, their library card if they give it), or a day's count made by hand. A branch
key writes its own branch's book only, and never a day still to come."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import delete, distinct, exists, extract, func, or_, select
from sqlalchemy.orm import Session, aliased

from chassis.bulk import insert_missing
from chassis.context import Caller
from chassis.errors import field_error
from chassis.schemas import load

from .calendar import today
from .contract import MAX_DAYS, HeadcountInput, VisitInput, VisitQuery
from .counting import add
from .models import VisitCard, VisitTally, branches
from .versions import wrote

visit_input, headcount_input, visit_query = VisitInput(), HeadcountInput(), VisitQuery()


def _checked_day(day: dt.date | None, now: float | None) -> dt.date:
    this_day = today(now)
    if day is None:
        return this_day
    if day > this_day:
        raise field_error("day", f"{day.isoformat()} is still to come (today is {this_day}).")
    return day


def _branch(session: Session, code: str, caller: Caller) -> str:
    caller.require_branch(code)  # a branch key records at its own branch only
    return branches.require(session, code)


def record_visit(session: Session, payload: dict, caller: Caller, now: float | None = None):
    caller.require_role("branch")
    visit = load(visit_input, payload)
    branch = _branch(session, visit["branch"], caller)
    day = _checked_day(visit.get("day"), now)
    key = {"branch": branch, "day": day, "headcount": False}
    wrote(session)
    add(
        session,
        VisitTally,
        {**key, "purpose": visit["purpose"], "age_group": visit["age_group"]},
        "count",
        1,
    )
    if visit.get("card"):
        insert_missing(
            session, VisitCard.__table__, [{"branch": branch, "day": day, "card": visit["card"]}]
        )
    return {"branch": branch, "day": day.isoformat(), "visits": _entries(session, branch, day)}


def _entries(session: Session, branch: str, day: dt.date) -> int:
    return session.scalar(
        select(func.coalesce(func.sum(VisitTally.count), 0)).where(
            VisitTally.branch == branch, VisitTally.day == day, VisitTally.headcount.is_(False)
        )
    )


def record_headcount(session: Session, payload: dict, caller: Caller, now: float | None = None):
    """The day's count by hand, replacing the branch's earlier one of that day."""
    caller.require_role("branch")
    count = load(headcount_input, payload)
    branch = _branch(session, count["branch"], caller)
    day = _checked_day(count["day"], now)
    rows: dict[tuple, int] = defaultdict(int)
    for row in count["counts"]:
        rows[(row["purpose"], row["age_group"])] += row["count"]
    wrote(session)
    session.execute(
        delete(VisitTally).where(
            VisitTally.branch == branch, VisitTally.day == day, VisitTally.headcount.is_(True)
        )
    )
    session.add_all(
        VisitTally(branch=branch, day=day, headcount=True, purpose=p, age_group=a, count=n)
        for (p, a), n in rows.items()
    )
    session.flush()
    return visit_days(session, branch, day, day)[0]


def visits(session: Session, params: dict, caller: Caller) -> dict:
    """Each day's visits of a branch (a branch key: its own) or of every branch."""
    readers(caller)
    query = load(visit_query, params)
    start, end = query["start"], query["end"]
    if end < start:
        raise field_error("to", "Before from.")
    if (end - start).days >= MAX_DAYS:
        raise field_error("to", f"At most {MAX_DAYS} days from from.")
    branch = query.get("branch")
    if caller.role == "branch":
        caller.require_branch(branch or caller.branch)
        branch = caller.branch
    return {"items": visit_days(session, branch, start, end)}


def readers(caller: Caller) -> None:
    """Who reads the book and the figures: headquarters, an integrator (the city's
    dashboard) and a branch (its own): asked before the query is read, so any other
    key is refused as such whatever it sent."""
    caller.require_role("branch", "integrator")


def visit_days(session: Session, branch: str | None, start: dt.date, end: dt.date) -> list:
    """Each (branch, day) with visits between start and end: a day counted by hand
    is its headcount, else its entries."""
    stmt = select(VisitTally).where(VisitTally.day >= start, VisitTally.day <= end)
    cards = select(VisitCard.branch, VisitCard.day, func.count()).where(
        VisitCard.day >= start, VisitCard.day <= end
    )
    if branch:
        stmt, cards = (
            stmt.where(VisitTally.branch == branch),
            cards.where(VisitCard.branch == branch),
        )
    members = {
        (b, d): n for b, d, n in session.execute(cards.group_by(VisitCard.branch, VisitCard.day))
    }
    tallies: dict[tuple, dict[bool, list]] = defaultdict(lambda: {True: [], False: []})
    for tally in session.scalars(stmt):
        tallies[(tally.branch, tally.day)][tally.headcount].append(tally)
    days = []
    for (b, d), kinds in sorted(tallies.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        by_hand = bool(kinds[True])
        chosen = kinds[True] if by_hand else kinds[False]
        by_purpose: dict[str, int] = defaultdict(int)
        by_age: dict[str, int] = defaultdict(int)
        for tally in chosen:
            by_purpose[tally.purpose] += tally.count
            by_age[tally.age_group] += tally.count
        days.append(
            {
                "branch": b,
                "day": d.isoformat(),
                "visits": sum(by_purpose.values()),
                "headcount": by_hand,
                "by_purpose": dict(by_purpose),
                "by_age_group": dict(by_age),
                "members": members.get((b, d), 0),
            }
        )
    return days


def visit_months(session: Session, start: dt.date, end: dt.date) -> dict[tuple, dict]:
    """{(branch, YYYY-MM): the month's visits, days open, by purpose and by age group}
    between start and end, summed by the database (years of a book are 100,000s of
    rows): a day counted by hand is its headcount, else its entries, as visit_days."""
    by_hand = aliased(VisitTally)
    counted = or_(
        VisitTally.headcount.is_(True),
        ~exists().where(
            by_hand.branch == VisitTally.branch,
            by_hand.day == VisitTally.day,
            by_hand.headcount.is_(True),
        ),
    )
    year, month = extract("year", VisitTally.day), extract("month", VisitTally.day)
    in_range = (VisitTally.day >= start, VisitTally.day <= end)
    found: dict[tuple, dict] = {}

    def of(branch, y, m) -> dict:
        key = (branch, f"{int(y):04d}-{int(m):02d}")
        return found.setdefault(
            key, {"visits": 0, "days_open": 0, "by_purpose": {}, "by_age_group": {}}
        )

    tallies = (
        select(VisitTally.branch, year, month, VisitTally.purpose, VisitTally.age_group)
        .add_columns(func.sum(VisitTally.count))
        .where(*in_range, counted)
        .group_by(VisitTally.branch, year, month, VisitTally.purpose, VisitTally.age_group)
    )
    for branch, y, m, purpose, age, n in session.execute(tallies):
        figures, n = of(branch, y, m), int(n)
        figures["visits"] += n
        figures["by_purpose"][purpose] = figures["by_purpose"].get(purpose, 0) + n
        figures["by_age_group"][age] = figures["by_age_group"].get(age, 0) + n
    days = (
        select(VisitTally.branch, year, month, func.count(distinct(VisitTally.day)))
        .where(*in_range)
        .group_by(VisitTally.branch, year, month)
    )
    for branch, y, m, n in session.execute(days):
        of(branch, y, m)["days_open"] = n
    return found
