"""The dashboard's figures: sums over the read models and the visitors' book, per
branch and month. Stock figures (titles, copies, copies held, staff) are today's,
shown in each month of the answer; flows (acquisitions, copies added, hours, gaps
closed, sittings, tickets, visits) are the month's own. The share of staff at their
position's required levels is of today's staff and requirements, by the levels
attained by the month's end. A figure the issue asks for that no event carries is
named under `not_counted`, with the reason, rather than shown as a guess."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from chassis.context import Caller
from chassis.errors import field_error
from chassis.schemas import load
from chassis.times import iso_time_or_none

from .calendar import first_day, last_day
from .calendar import months as month_range
from .contract import MAX_MONTHS, NOT_HELD, DashboardQuery
from .models import (
    Attainment,
    Attendee,
    Branch,
    Campaign,
    Certificate,
    Completion,
    Copy,
    Holding,
    MemberCount,
    Occurrence,
    Requirement,
    SourceMark,
    Staff,
    Suggestion,
    Ticket,
    Title,
)
from .versions import KeptAnswers, version
from .visits import readers, visit_months

dashboard_query = DashboardQuery()
ELECTRONIC = ("ebook", "database")
SOURCES = ("catalog", "people", "events", "feedback")
# Every figure the issue asks for is counted; one no event carries would be named
# here, with the reason, and given under `not_counted` of each answer.
NOT_COUNTED: dict[str, str] = {}
# The SKM grades of Permenpan RB No. 14 Tahun 2017 (as feedback grades a campaign).
SKM_GRADES = ((88.31, "A"), (76.61, "B"), (65.0, "C"), (25.0, "D"))


def skm_grade(index: float | None) -> str | None:
    if index is None:
        return None
    return next((grade for low, grade in SKM_GRADES if index >= low), "D")


def branches_read(session: Session, caller: Caller) -> dict:
    """The branches whose figures the caller reads: a branch key its own, else all."""
    readers(caller)
    stmt = select(Branch).order_by(Branch.code)
    if caller.role == "branch":
        stmt = stmt.where(Branch.code == caller.branch)
    return {"items": [{"code": b.code, "name": b.name} for b in session.scalars(stmt)]}


def dashboard(
    session: Session, params: dict, caller: Caller, kept: KeptAnswers | None = None
) -> dict:
    """The figures per branch and month; an answer `kept` is given again while the
    version it was computed at stands (versions.py)."""
    readers(caller)
    query = load(dashboard_query, params)
    start, end = query["start"], query["end"]
    if end < start:
        raise field_error("to", "Before from.")
    months = month_range(start, end)
    if len(months) > MAX_MONTHS:
        raise field_error("to", f"At most {MAX_MONTHS} months from from.")
    chosen = query["branches"].split(",") if query.get("branches") else None
    if caller.role == "branch":  # a branch sees its own
        for code in chosen or []:
            caller.require_branch(code)
        chosen = [caller.branch]
    # The version first: an answer computed after it holds at least what it counts.
    at = version(session) if kept is not None else None
    codes = chosen or list(session.scalars(select(Branch.code).order_by(Branch.code)))
    key = (start, end, tuple(codes))
    answer = kept.get(key, at) if kept is not None else None
    if answer is None:
        answer = _answer(session, start, end, codes, months)
        if kept is not None:
            kept.put(key, at, answer)
    return answer


def _answer(session: Session, start: str, end: str, codes: list, months: list) -> dict:
    figures = Figures(session, codes, months)
    items = [{"branch": b, "month": m, **figures.of(b, m)} for m in months for b in codes]
    marks = {m.source: m for m in session.scalars(select(SourceMark))}
    rebuilt = [m.rebuilt_at for m in marks.values() if m.rebuilt_at]
    return {
        "from": start,  # the answer's names, as the query's (Dashboard's data_key)
        "to": end,
        "items": items,
        "city": figures.city(),
        "freshness": [
            {
                "source": s,
                "events": marks[s].events if s in marks else 0,
                "last_event_at": iso_time_or_none(marks[s].last_event_at) if s in marks else None,
            }
            for s in SOURCES
        ],
        "rebuilt_at": iso_time_or_none(max(rebuilt)) if rebuilt else None,
        "not_counted": NOT_COUNTED,
    }


def _grouped(session: Session, stmt) -> dict:
    """{(key...): (value...)} from rows of (key..., value...) with `keys` leading."""
    return {tuple(row[:-1]): row[-1] for row in session.execute(stmt)}


class Figures:
    """The sums for some branches and months, each read once for all of them."""

    def __init__(self, session: Session, branches: list[str], months: list[str]):
        self.session, self.branches, self.months = session, branches, months
        first, last = months[0], months[-1]
        s = session
        in_months = lambda col: and_(col >= first, col <= last)  # noqa: E731
        # collection: today's holdings by type; titles catalogued in each month
        self.copies = _grouped(
            s,
            select(Holding.branch, Title.material_type, func.sum(Holding.copies))
            .join(Title, Title.id == Holding.title_id)
            .where(Holding.copies > 0)
            .group_by(Holding.branch, Title.material_type),
        )
        self.titles = _grouped(
            s,
            select(Holding.branch, Title.material_type, func.count())
            .join(Title, Title.id == Holding.title_id)
            .where(Holding.copies > 0)
            .group_by(Holding.branch, Title.material_type),
        )
        self.new_titles = _grouped(
            s,
            select(Holding.branch, Title.month, Title.from_suggestion, func.count())
            .join(Title, Title.id == Holding.title_id)
            .where(Holding.copies > 0, in_months(Title.month))
            .group_by(Holding.branch, Title.month, Title.from_suggestion),
        )
        # copies, one row each: added in each month; held today (not lost or withdrawn)
        self.copies_added = _grouped(
            s,
            select(Copy.branch, Copy.month, func.count())
            .where(in_months(Copy.month))
            .group_by(Copy.branch, Copy.month),
        )
        self.copies_held = _grouped(
            s,
            select(Copy.branch, func.count())
            .where(Copy.status.not_in(NOT_HELD))
            .group_by(Copy.branch),
        )
        # staff
        self.staff = _grouped(
            s,
            select(Staff.branch, Staff.position, func.count())
            .where(Staff.active.is_(True))
            .group_by(Staff.branch, Staff.position),
        )
        self.hours = {
            tuple(k): (n, h)
            for *k, n, h in s.execute(
                select(
                    Completion.branch, Completion.month, func.count(), func.sum(Completion.hours)
                )
                .where(in_months(Completion.month))
                .group_by(Completion.branch, Completion.month)
            )
        }
        self.certificates = _grouped(
            s,
            select(Staff.branch, Certificate.month, func.count())
            .join(Staff, Staff.id == Certificate.staff_id)
            .where(Certificate.revoked.is_(False), in_months(Certificate.month))
            .group_by(Staff.branch, Certificate.month),
        )
        self.attained = _grouped(
            s,
            select(Staff.branch, Attainment.month, func.count())
            .join(Staff, Staff.id == Attainment.staff_id)
            .where(in_months(Attainment.month))
            .group_by(Staff.branch, Attainment.month),
        )
        self.at_level, self.closed = self._levels(s, branches)
        # community programmes
        self.held = defaultdict(list)
        for o in s.scalars(select(Occurrence).where(in_months(Occurrence.month))):
            self.held[(o.branch, o.month)].append(o)
        self.ages = _grouped(
            s,
            select(Occurrence.branch, Occurrence.month, Attendee.age_group, func.count())
            .join(Attendee, Attendee.occurrence_id == Occurrence.id)
            .where(in_months(Occurrence.month))
            .group_by(Occurrence.branch, Occurrence.month, Attendee.age_group),
        )
        # service quality
        self.campaigns = defaultdict(list)
        for c in s.scalars(
            select(Campaign).where(in_months(Campaign.month), Campaign.responses.is_not(None))
        ):
            self.campaigns[(c.branch, c.month)].append(c)
        self.opened = _grouped(
            s,
            select(Ticket.branch, Ticket.month, func.count())
            .where(in_months(Ticket.month))
            .group_by(Ticket.branch, Ticket.month),
        )
        self.answered = {
            tuple(k): (n, d)
            for *k, n, d in s.execute(
                select(Ticket.branch, Ticket.answered_month, func.count(), func.avg(Ticket.days))
                .where(in_months(Ticket.answered_month), Ticket.status == "resolved")
                .group_by(Ticket.branch, Ticket.answered_month)
            )
        }
        self.suggested = _grouped(
            s,
            select(Suggestion.branch, Suggestion.month, func.count())
            .where(in_months(Suggestion.month))
            .group_by(Suggestion.branch, Suggestion.month),
        )
        self.fulfilled = _grouped(
            s,
            select(Suggestion.branch, Suggestion.fulfilled_month, func.count())
            .where(in_months(Suggestion.fulfilled_month))
            .group_by(Suggestion.branch, Suggestion.fulfilled_month),
        )
        # visits and members
        self.visits = visit_months(s, first_day(first), last_day(last))
        self.members = {
            (m.branch, m.month): m
            for m in s.scalars(select(MemberCount).where(in_months(MemberCount.month)))
        }

    @staticmethod
    def _levels(s: Session, branches: list[str]) -> tuple[dict, dict]:
        """Today's active staff against what their positions require today: per branch,
        [the month each one with a requirement first met them all (None: not yet)];
        per (branch, month), the requirements first met in it (gaps closed). A level is
        met by an attainment at or above it; everyone starts below (people's rule)."""
        required = _grouped(
            s, select(Requirement.position, func.count()).group_by(Requirement.position)
        )
        staff = {
            sid: (branch, required.get((position,), 0))
            for sid, branch, position in s.execute(
                select(Staff.id, Staff.branch, Staff.position).where(
                    Staff.active.is_(True), Staff.branch.in_(branches)
                )
            )
        }
        met = s.execute(
            select(Attainment.staff_id, func.min(Attainment.month))
            .join(Staff, Staff.id == Attainment.staff_id)
            .join(
                Requirement,
                and_(
                    Requirement.position == Staff.position,
                    Requirement.competency == Attainment.competency,
                    Attainment.level >= Requirement.level,
                ),
            )
            .where(Staff.active.is_(True), Staff.branch.in_(branches))
            .group_by(Attainment.staff_id, Attainment.competency)
        )
        months: dict[str, list[str]] = defaultdict(list)
        closed: dict[tuple, int] = defaultdict(int)
        for sid, month in met:
            months[sid].append(month)
            closed[(staff[sid][0], month)] += 1
        at_level: dict[str, list] = defaultdict(list)
        for sid, (branch, needs) in staff.items():
            if needs:  # a position requiring nothing is no one's measure
                done = months.get(sid, [])
                at_level[branch].append(max(done) if len(done) == needs else None)
        return at_level, closed

    def of(self, branch: str, month: str) -> dict:
        return {
            "collection": self._collection(branch, month),
            "staff": self._staff(branch, month),
            "programmes": self._programmes(branch, month),
            "quality": self._quality(branch, month),
            "visits": self._visits(branch, month),
        }

    def _by_type(self, table: dict, branch: str) -> dict:
        return {t: int(n) for (b, t), n in table.items() if b == branch}

    def _collection(self, branch: str, month: str) -> dict:
        new = {f: n for (b, m, f), n in self.new_titles.items() if (b, m) == (branch, month)}
        return {
            "titles_by_type": self._by_type(self.titles, branch),
            "copies_by_type": self._by_type(self.copies, branch),
            "new_titles": sum(new.values()),
            "new_titles_from_suggestions": new.get(True, 0),
            "copies_added": self.copies_added.get((branch, month), 0),
            "copies_held": self.copies_held.get((branch,), 0),
        }

    def _staff(self, branch: str, month: str) -> dict:
        positions = self._by_type(self.staff, branch)
        completions, hours = self.hours.get((branch, month), (0, 0))
        return {
            "staff": sum(positions.values()),
            "by_position": positions,
            "completions": completions,
            "training_hours_jp": int(hours or 0),
            "certificates": self.certificates.get((branch, month), 0),
            "competencies_attained": self.attained.get((branch, month), 0),
            "share_at_required_level": _share(
                sum(m is not None and m <= month for m in self.at_level.get(branch, [])),
                len(self.at_level.get(branch, [])),
            ),
            "gaps_closed": self.closed.get((branch, month), 0),
        }

    def _programmes(self, branch: str, month: str) -> dict:
        held = self.held.get((branch, month), [])
        registered = sum(o.registered for o in held)
        by_audience: dict[str, int] = defaultdict(int)
        for o in held:
            by_audience[o.audience] += o.attended
        return {
            "programmes": len({o.programme_id for o in held}),
            "occurrences": len(held),
            "attendance": sum(o.attended for o in held),
            "by_audience": dict(by_audience),
            "by_age_group": {
                a: n for (b, m, a), n in self.ages.items() if (b, m) == (branch, month)
            },
            "walk_ins": sum(o.walk_ins for o in held),
            "no_show_rate": _share(sum(o.no_shows for o in held), registered),
            "partners_share": _share(sum(o.partnered for o in held), len(held)),
        }

    def _quality(self, branch: str, month: str) -> dict:
        campaigns = self.campaigns.get((branch, month), [])
        index = _weighted(campaigns, "satisfaction_index")
        answered, days = self.answered.get((branch, month), (0, None))
        return {
            "responses": sum(c.responses or 0 for c in campaigns),
            "skm_index": index,
            "skm_grade": skm_grade(index),
            "nps": _weighted(campaigns, "nps"),
            "libqual_adequacy_gap": _adequacy_gaps(campaigns),
            "libqual_responses": sum(c.responses or 0 for c in campaigns if c.adequacy_gaps),
            "tickets": self.opened.get((branch, month), 0),
            "tickets_resolved": answered,
            "resolution_days": round(days, 2) if days is not None else None,
            "suggestions": self.suggested.get((branch, month), 0),
            "suggestions_fulfilled": self.fulfilled.get((branch, month), 0),
        }

    def _visits(self, branch: str, month: str) -> dict:
        book = self.visits.get((branch, month), {})
        members = self.members.get((branch, month))
        return {
            "visits": book.get("visits", 0),
            "days_open": book.get("days_open", 0),
            "by_purpose": book.get("by_purpose", {}),
            "by_age_group": book.get("by_age_group", {}),
            "members": members.members if members else None,
            "new_members": members.new_members if members else None,
        }

    def city(self) -> dict:
        """What belongs to no branch: e-resources (online, held nowhere)."""
        electronic = self.session.execute(
            select(Title.material_type, func.count())
            .where(Title.material_type.in_(ELECTRONIC))
            .group_by(Title.material_type)
        ).all()
        return {"e_resources": {t: n for t, n in electronic}}


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _adequacy_gaps(campaigns: list) -> dict:
    """Per LibQUAL+ dimension, the mean of the campaigns' adequacy gaps (perceived
    minus minimum), each weighted by its responses; a dimension none asked is absent."""
    sums: dict[str, list] = defaultdict(lambda: [0.0, 0])
    for c in campaigns:
        for dimension, gap in (c.adequacy_gaps or {}).items():
            if gap is not None and c.responses:
                sums[dimension][0] += gap * c.responses
                sums[dimension][1] += c.responses
    return {d: round(total / n, 2) for d, (total, n) in sums.items() if n}


def _weighted(campaigns: list, field: str) -> float | None:
    """The mean of a campaign figure, each weighted by its responses."""
    pairs = [(getattr(c, field), c.responses or 0) for c in campaigns]
    pairs = [(v, n) for v, n in pairs if v is not None and n]
    total = sum(n for _, n in pairs)
    return round(sum(v * n for v, n in pairs) / total, 2) if total else None
