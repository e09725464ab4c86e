"""Results: of a campaign (counts, response rate, means and distributions, NPS,
LibQUAL+ gaps by item and dimension, the satisfaction index), of a year across the
branches and its months, and the summary published when a campaign closes. Every
figure is summed from the tallies (responses.tally_rows), never from the responses."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from chassis.context import Caller
from chassis.errors import Conflict, Forbidden
from chassis.schemas import load

from . import figures
from .campaigns import campaign_for, dump_campaign
from .contract import LIBQUAL_PARTS, OverviewQuery
from .models import Branch, Campaign, Response, Tally, Template, Ticket, branches, outbox
from .responses import RESPONSE_KEY

overview_query = OverviewQuery()
NUMERIC = ("likert", "rating", "nps", "skm")
MAX_COMMENTS = 50


def _counts(session: Session, where) -> dict:
    """{(campaign_seq, question, part): {value: count}} of the tallies `where` selects."""
    stmt = (
        select(Tally.campaign_seq, Tally.question, Tally.part, Tally.value, func.sum(Tally.count))
        .where(where)
        .group_by(Tally.campaign_seq, Tally.question, Tally.part, Tally.value)
    )
    found: dict = defaultdict(dict)
    for seq, question, part, value, n in session.execute(stmt):
        found[(seq, question, part)][value] = int(n)
    return found


def _numeric(counts: dict) -> dict[int, int]:
    return {int(v): n for v, n in counts.items()}


def question_figures(questions: list[dict], counts: dict) -> dict:
    """The figures of one campaign's questions from {(question, part): {value: n}}."""
    out, likert, nps_counts, skm, dims = [], [], defaultdict(int), {}, defaultdict(list)
    for q in questions:
        row = {k: q.get(k) for k in ("id", "type", "text_id", "text_en", "dimension")}
        if q["type"] == "libqual":
            parts = {p: _numeric(counts.get((q["id"], p), {})) for p in LIBQUAL_PARTS}
            row["answered"] = sum(parts["perceived"].values())
            row["distribution"] = {str(v): n for v, n in sorted(parts["perceived"].items())}
            means = {p: figures.mean(c) for p, c in parts.items()}
            row.update(figures.libqual_gaps(means["minimum"], means["desired"], means["perceived"]))
            dims[q.get("dimension")].append(means)
        elif q["type"] in NUMERIC:
            c = _numeric(counts.get((q["id"], ""), {}))
            row["answered"] = sum(c.values())
            row["distribution"] = {str(v): n for v, n in sorted(c.items())}
            row["mean"] = None if (m := figures.mean(c)) is None else round(m, 2)
            if q["type"] == "nps":
                row["nps"] = figures.nps(c)
                for v, n in c.items():
                    nps_counts[v] += n
            if q["type"] == "likert":
                likert.append(c)
            if q["type"] == "skm":
                skm[q["id"]] = figures.mean(c)
        elif q["type"] in ("single", "multiple"):
            c = counts.get((q["id"], ""), {})
            row["answered"] = sum(c.values()) if q["type"] == "single" else None
            row["distribution"] = {o["value"]: c.get(o["value"], 0) for o in q["options"]}
        else:
            continue
        out.append(row)
    all_likert: dict[int, int] = defaultdict(int)
    for c in likert:
        for v, n in c.items():
            all_likert[v] += n
    average = figures.mean(all_likert)
    return {
        "questions": out,
        "average": None if average is None else round(average, 2),
        "nps": figures.nps(nps_counts),
        "satisfaction": figures.skm_index(skm) if skm else None,
        "dimensions": [_dimension(d, rows) for d, rows in dims.items()],
    }


def _dimension(dimension: str, items: list[dict]) -> dict:
    def avg(part):
        values = [i[part] for i in items if i[part] is not None]
        return sum(values) / len(values) if values else None

    return {"dimension": dimension, **figures.libqual_gaps(*map(avg, LIBQUAL_PARTS))}


def campaign_results(session: Session, campaign: Campaign) -> dict:
    template = session.get(Template, (campaign.template_code, campaign.template_version))
    counts = {
        (q, p): c for (_, q, p), c in _counts(session, Tally.campaign_seq == campaign.seq).items()
    }
    found = question_figures(template.questions, counts)
    text_ids = [q["id"] for q in template.questions if q["type"] == "text"]
    comments = []
    if text_ids:
        rows = session.scalars(
            select(Response.answers)
            .where(Response.campaign_seq == campaign.seq)
            .order_by(Response.submitted_on.desc())
            .limit(MAX_COMMENTS * 4)
        )
        comments = [a[t] for a in rows for t in text_ids if a.get(t)][:MAX_COMMENTS]
    rate = campaign.responses / campaign.invited if campaign.invited else None
    branch = branches.find(session, campaign.branch_code)
    return {
        "campaign": dump_campaign(campaign),
        "branch_name": branch.name if branch else None,
        "responses": campaign.responses,
        "invited": campaign.invited,
        "response_rate": None if rate is None else round(min(rate, 1.0), 3),
        **found,
        "comments": comments,
    }


def results(session: Session, campaign_id: str, caller: Caller) -> dict:
    return campaign_results(session, campaign_for(session, campaign_id, caller))


def summary_of(found: dict) -> dict:
    satisfaction = found.get("satisfaction") or {}
    parts = [f"{found['responses']} responses"]
    if found["average"] is not None:
        parts.append(f"average {found['average']}/5")
    if found["nps"] is not None:
        parts.append(f"NPS {found['nps']:+}")
    if satisfaction.get("index") is not None:
        parts.append(f"IKM {satisfaction['index']} ({satisfaction['grade']})")
    campaign = found["campaign"]
    return {
        "campaign_id": campaign["id"],
        "subject_type": campaign["subject_type"],
        "subject_id": campaign["subject_id"],
        "template": campaign["template"],
        "responses": found["responses"],
        "invited": found["invited"],
        "response_rate": found["response_rate"],
        "average": found["average"],
        "nps": found["nps"],
        "satisfaction_index": satisfaction.get("index"),
        "satisfaction_grade": satisfaction.get("grade"),
        "libqual": found["dimensions"],
        "summary": "; ".join(parts),
    }


def close(session: Session, campaign: Campaign) -> dict:
    """Close it and publish its headline figures (evaluation_summarized)."""
    campaign.status = "closed"
    session.flush()
    summary = summary_of(campaign_results(session, campaign))
    campaign.summary = summary
    outbox.emit(session, "evaluation_summarized", campaign.id, summary)
    return dump_campaign(campaign)


def close_campaign(session: Session, campaign_id: str, caller: Caller) -> dict:
    caller.require_role("branch")
    campaign = campaign_for(session, campaign_id, caller, for_update=True)
    if campaign.status != "open":
        raise Conflict(f"Campaign {campaign_id} is closed already.", {"status": campaign.status})
    return close(session, campaign)


def close_due(session: Session, today: dt.date | None = None) -> list[str]:
    """Close every open campaign whose last day has passed."""
    today = today or dt.date.today()
    due = session.scalars(
        select(Campaign)
        .where(Campaign.status == "open", Campaign.closes_on < today)
        .with_for_update()
    )
    return [close(session, c)["id"] for c in list(due)]


# -- a year across the branches -------------------------------------------------------------
def overview(session: Session, params: dict, caller: Caller) -> dict:
    """Per branch: responses, the satisfaction index and NPS of the year's
    campaigns about it, and its tickets' time to resolution; per month: responses,
    NPS and the index (a branch key: its own branch only)."""
    query = load(overview_query, params)
    branch = query.get("branch")
    if caller.role == "branch":
        if branch and branch != caller.branch:
            caller.require_branch(branch)
        branch = caller.branch
    elif not caller.is_admin:
        raise Forbidden(f"role {caller.role!r} may not see branch results", {"role": caller.role})
    year = query["year"]
    months = Tally.month.between(f"{year}-01", f"{year}-12")
    campaigns = select(Campaign.seq).where(Campaign.branch_code.is_not(None))
    if branch:
        campaigns = campaigns.where(Campaign.branch_code == branch)
    kinds = _question_types(session)
    # Only the answers the figures use: SKM elements and NPS questions.
    wanted = {question for (_, _, question), kind in kinds.items() if kind in ("skm", "nps")}
    rows = session.execute(
        select(
            Campaign.branch_code, Tally.month, Campaign.template_code, Campaign.template_version,
            Tally.question, Tally.value, func.sum(Tally.count),
        )
        .join(Campaign, Campaign.seq == Tally.campaign_seq)
        .where(and_(months, Tally.campaign_seq.in_(campaigns), Tally.question.in_(wanted)))
        .group_by(
            Campaign.branch_code, Tally.month, Campaign.template_code,
            Campaign.template_version, Tally.question, Tally.value,
        )
    )  # fmt: skip
    per_branch: dict = defaultdict(lambda: {"skm": defaultdict(lambda: defaultdict(int)),
                                            "nps": defaultdict(int)})  # fmt: skip
    per_month: dict = defaultdict(lambda: {"skm": defaultdict(lambda: defaultdict(int)),
                                           "nps": defaultdict(int)})  # fmt: skip
    for code, month, tcode, tver, question, value, n in rows:
        kind = kinds.get((tcode, tver, question))
        for bucket in (per_branch[code], per_month[month]):
            if kind == "skm":
                bucket["skm"][question][int(value)] += int(n)
            elif kind == "nps":
                bucket["nps"][int(value)] += int(n)
    responses = _responses(session, year, branch)
    tickets = _tickets(session, year, branch)
    codes = sorted(set(per_branch) | {b for b, _ in responses} | set(tickets))
    found = session.execute(select(Branch.code, Branch.name).where(Branch.code.in_(codes)))
    names = {code: name for code, name in found}
    return {
        "year": year,
        "branches": [
            {
                "branch": code,
                "name": names.get(code),
                "responses": sum(n for (b, _), n in responses.items() if b == code),
                "satisfaction": _skm(per_branch[code]["skm"]) if code in per_branch else None,
                "nps": figures.nps(per_branch[code]["nps"]) if code in per_branch else None,
                **tickets.get(code, {"tickets": 0, "resolved": 0, "resolution_days": None}),
            }
            for code in codes
        ],
        "months": [
            {
                "month": month,
                "responses": sum(n for (_, m), n in responses.items() if m == month),
                "nps": figures.nps(per_month[month]["nps"]),
                "satisfaction": (_skm(per_month[month]["skm"]) or {}).get("index"),
            }
            for month in sorted(per_month)
        ],
    }


def _skm(elements: dict) -> dict | None:
    if not elements:
        return None
    return figures.skm_index({q: figures.mean(c) for q, c in sorted(elements.items())})


def _question_types(session: Session) -> dict:
    return {
        (t.code, t.version, q["id"]): q["type"]
        for t in session.scalars(select(Template))
        for q in t.questions
    }


def _responses(session: Session, year: int, branch: str | None) -> dict:
    """{(branch, month): responses} of the year, from the tallies of responses."""
    stmt = (
        select(Campaign.branch_code, Tally.month, func.sum(Tally.count))
        .join(Campaign, Campaign.seq == Tally.campaign_seq)
        .where(
            Campaign.branch_code.is_not(None),
            Tally.question == RESPONSE_KEY[0],
            Tally.month.between(f"{year}-01", f"{year}-12"),
        )
        .group_by(Campaign.branch_code, Tally.month)
    )
    if branch:
        stmt = stmt.where(Campaign.branch_code == branch)
    return {(code, month): int(n) for code, month, n in session.execute(stmt)}


def _tickets(session: Session, year: int, branch: str | None) -> dict:
    start = dt.datetime(year, 1, 1, tzinfo=dt.UTC).timestamp()
    end = dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC).timestamp()
    stmt = select(Ticket.branch_code, Ticket.status, Ticket.opened_at, Ticket.resolved_at).where(
        Ticket.opened_at >= start, Ticket.opened_at < end
    )
    if branch:
        stmt = stmt.where(Ticket.branch_code == branch)
    found: dict = {}
    for code, status, opened, resolved in session.execute(stmt):
        row = found.setdefault(code, {"tickets": 0, "resolved": 0, "_days": []})
        row["tickets"] += 1
        if status == "resolved" and resolved is not None:
            row["resolved"] += 1
            row["_days"].append((resolved - opened) / 86400)
    for row in found.values():
        days = row.pop("_days")
        row["resolution_days"] = round(sum(days) / len(days), 1) if days else None
    return found
