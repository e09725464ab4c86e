"""The year's report: the figures headquarters files for a year (the IPLM, the KTAK
data, and each branch's year of activity, from the dashboard's months), by branch
name, as a PDF (report_pdf.py)."""

from __future__ import annotations

import base64
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from chassis.context import Caller
from chassis.schemas import load

from .contract import YearQuery
from .figures import dashboard
from .iplm import iplm, ktak
from .models import Branch
from .report_pdf import render_pdf

year_query = YearQuery()


def _activity(months: list, names: dict) -> list[dict]:
    """Each branch's months added up: training hours, competency gaps closed,
    attendance, new titles, copies added, visits; its staff at their position's
    required levels by the year's end; and its LibQUAL+ adequacy gap per dimension, the months' gaps
    weighted by their LibQUAL+ responses (as the dashboard weighs campaigns)."""
    rows: dict[str, dict] = {}
    gaps: dict[str, dict] = defaultdict(lambda: defaultdict(lambda: [0.0, 0]))
    for m in months:
        row = rows.setdefault(
            m["branch"],
            {"branch_code": m["branch"], "name": names.get(m["branch"], m["branch"]), "jp": 0,
             "attendance": 0, "new_titles": 0, "copies_added": 0, "visits": 0,
             "libqual_responses": 0, "gaps_closed": 0},
        )  # fmt: skip
        row["jp"] += m["staff"]["training_hours_jp"]
        row["attendance"] += m["programmes"]["attendance"]
        row["new_titles"] += m["collection"]["new_titles"]
        row["copies_added"] += m["collection"]["copies_added"]
        row["visits"] += m["visits"]["visits"]
        row["gaps_closed"] += m["staff"]["gaps_closed"]
        row["at_level"] = m["staff"]["share_at_required_level"]  # the year's last month's
        weight = m["quality"]["libqual_responses"]
        row["libqual_responses"] += weight
        for dimension, gap in m["quality"]["libqual_adequacy_gap"].items():
            gaps[m["branch"]][dimension][0] += gap * weight
            gaps[m["branch"]][dimension][1] += weight
    for code, row in rows.items():
        row["gaps"] = {d: round(total / n, 2) for d, (total, n) in gaps[code].items() if n}
    return list(rows.values())


def year_report(session: Session, params: dict, caller: Caller, settings: dict) -> dict:
    caller.require_role()  # headquarters'
    year = load(year_query, params)["year"]
    names = {b.code: b.name for b in session.scalars(select(Branch))}
    literacy = iplm(session, {"year": year}, caller, settings)
    census = ktak(session, {"year": year}, caller)["items"]
    months = dashboard(session, {"from": f"{year}-01", "to": f"{year}-12"}, caller)["items"]
    pdf = render_pdf(year, literacy, census, _activity(months, names))
    return {
        "filename": f"laporan-tahunan-{year}.pdf",
        "pdf_base64": base64.b64encode(pdf).decode("ascii"),
    }
