"""Headquarters' dashboard as a page (/dasbor): a period of months and the branches
to show (headquarters: any; a branch key: its own), and five views of the service's
figures, each a chart drawn on the server (gateway/web/shell/charts.py), its table,
and the same table as CSV (/dasbor/csv/<view>): training hours (JP), the share of
staff at their position's required levels and the gaps closed, beside the
service-quality index, the LibQUAL+ adequacy gap per dimension, community
programmes' attendance and partners' share, the collection's growth (titles and
copies) and its share from suggestions, and visits by month.

The figures are the service's per branch and month; a view adds a period's months
together (an index or a gap: weighted by its responses, as the service weighs
campaigns); a stock (the copies held) is today's, as the service gives it."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from markupsafe import Markup
from werkzeug.wrappers import Response

from chassis.errors import NotFound, ValidationFailed
from gateway.edge.errors import csv_response
from gateway.web.shell import charts
from gateway.web.shell.i18n import N_, translator
from gateway.web.shell.render import branch_names, common, long_date, page
from services.insight.contract import LIBQUAL_DIMENSIONS

WIB = ZoneInfo("Asia/Jakarta")
VIEWS = ("training", "quality", "programmes", "collection", "visits")
# The names of the LibQUAL+ dimensions the contract lists (another is shown by its code).
DIMENSION_NAMES = dict(
    zip(
        LIBQUAL_DIMENSIONS,
        (N_("Affect of service"), N_("Information control"), N_("Library as place")),
        strict=True,
    )
)
REASONS = {
    "from": N_("Choose the first month of the period (from 2000 to 2100)."),
    "to": N_("Choose a last month after the first, at most 36 months from it."),
    "branches": N_("Choose branches from the list."),
}


def default_period(today: dt.date) -> tuple[str, str]:
    """The last 12 months, this one included."""
    first = dt.date(today.year - 1 + (today.month == 12), today.month % 12 + 1, 1)
    return first.strftime("%Y-%m"), today.strftime("%Y-%m")


def query_of(request) -> dict:
    """The service's query from the page's: a period (the last 12 months unless
    chosen) and the branches ticked, as a comma-separated list."""
    start, end = default_period(dt.datetime.now(WIB).date())
    query = {"from": request.args.get("from") or start, "to": request.args.get("to") or end}
    chosen = request.args.getlist("branches")
    if chosen:
        query["branches"] = ",".join(chosen)
    return query


def _sum(items: list, area: str, field: str) -> int:
    return sum(i[area].get(field) or 0 for i in items)


def _weighted(items: list, area: str, field: str, weight: str) -> float | None:
    pairs = [(i[area].get(field), i[area].get(weight) or 0) for i in items]
    pairs = [(v, n) for v, n in pairs if v is not None and n]
    total = sum(n for _, n in pairs)
    return round(sum(v * n for v, n in pairs) / total, 2) if total else None


def _percent(share: float | None) -> float | None:
    return None if share is None else round(100 * share, 1)


def _share(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def dimensions_of(found: dict) -> list[str]:
    """The LibQUAL+ dimensions with a gap in the answer: the contract's, then others."""
    told = {d for i in found["items"] for d in i["quality"].get("libqual_adequacy_gap") or {}}
    return [d for d in LIBQUAL_DIMENSIONS if d in told] + sorted(told - set(LIBQUAL_DIMENSIONS))


def _gaps(months: list, dimensions: list) -> dict:
    """Per dimension, the months' gaps weighted by their LibQUAL+ responses."""
    out = {}
    for d in dimensions:
        pairs = [
            ((i["quality"].get("libqual_adequacy_gap") or {}).get(d),
             i["quality"].get("libqual_responses") or 0)
            for i in months
        ]  # fmt: skip
        pairs = [(v, n) for v, n in pairs if v is not None and n]
        total = sum(n for _, n in pairs)
        out[d] = round(sum(v * n for v, n in pairs) / total, 2) if total else None
    return out


def per_branch(found: dict, names: dict) -> list[dict]:
    """A period's figures per branch, in the order the service gives them."""
    out = []
    for code in dict.fromkeys(i["branch"] for i in found["items"]):
        months = [i for i in found["items"] if i["branch"] == code]
        occurrences = _sum(months, "programmes", "occurrences")
        partnered = sum(
            (i["programmes"].get("partners_share") or 0) * i["programmes"]["occurrences"]
            for i in months
        )
        new_titles = _sum(months, "collection", "new_titles")
        suggested = _sum(months, "collection", "new_titles_from_suggestions")
        out.append(
            {
                "name": names.get(code, code),
                "jp": _sum(months, "staff", "training_hours_jp"),
                "completions": _sum(months, "staff", "completions"),
                "gaps_closed": _sum(months, "staff", "gaps_closed"),
                # a stock: as of the period's last month (of today's staff)
                "at_level": _percent(months[-1]["staff"].get("share_at_required_level")),
                "skm": _weighted(months, "quality", "skm_index", "responses"),
                "responses": _sum(months, "quality", "responses"),
                "occurrences": occurrences,
                "attendance": _sum(months, "programmes", "attendance"),
                "partners_share": _share(partnered, occurrences),
                "new_titles": new_titles,
                "from_suggestions": suggested,
                "suggestions_share": _share(suggested, new_titles),
                "copies_added": _sum(months, "collection", "copies_added"),
                "copies_held": months[-1]["collection"].get("copies_held"),  # today's
                "gaps": _gaps(months, dimensions_of(found)),
                "libqual_responses": _sum(months, "quality", "libqual_responses"),
                "visits": _sum(months, "visits", "visits"),
            }
        )
    return out


def visits_by_month(found: dict) -> list[tuple[str, int]]:
    months = dict.fromkeys(i["month"] for i in found["items"])
    return [
        (m, sum(i["visits"]["visits"] for i in found["items"] if i["month"] == m)) for m in months
    ]


def tables(found: dict, names: dict, _) -> dict:
    """Each view's table: a header row, then its rows (the page's and the CSV's)."""
    rows = per_branch(found, names)
    dimensions = dimensions_of(found)

    def blank(value):
        return "" if value is None else value

    return {
        "training": [
            [_("Branch"), _("Training hours (JP)"), _("Completions"), _("SKM index"),
             _("Responses"), _("Competency gaps closed"),
             _("Staff at their position's required levels (%)")],
            *[[r["name"], r["jp"], r["completions"], blank(r["skm"]), r["responses"],
               r["gaps_closed"], blank(r["at_level"])]
              for r in rows],
        ],
        "quality": [
            [_("Branch"), *[_dimension(d, _) for d in dimensions], _("Responses (LibQUAL+)")],
            *[[r["name"], *[blank(r["gaps"][d]) for d in dimensions], r["libqual_responses"]]
              for r in rows],
        ],
        "programmes": [
            [_("Branch"), _("Sessions held"), _("Attendance"), _("Co-hosted with partners (%)")],
            *[[r["name"], r["occurrences"], r["attendance"], blank(r["partners_share"])]
              for r in rows],
        ],
        "collection": [
            [_("Branch"), _("New titles"), _("From suggestions"), _("Share from suggestions (%)"),
             _("Copies added"), _("Copies held today")],
            *[[r["name"], r["new_titles"], r["from_suggestions"], blank(r["suggestions_share"]),
               r["copies_added"], blank(r["copies_held"])]
              for r in rows],
        ],
        "visits": [
            [_("Month"), _("Visits")],
            *[[m, n] for m, n in visits_by_month(found)],
        ],
    }  # fmt: skip


def _dimension(code: str, _) -> str:
    return _(DIMENSION_NAMES[code]) if code in DIMENSION_NAMES else code


def _top(values: list) -> float:
    """The axis' end: a round number above the largest value, with room for its note."""
    most = max([v for v in values if v is not None] + [1]) * 1.15
    scale = 10 ** (len(str(int(most))) - 1)
    return next(n * scale for n in (1, 2, 2.5, 5, 10) if n * scale >= most)


def _short(name: str) -> str:
    """A chart's label: the name without the word every branch's shares (the table
    beside it names each in full)."""
    return name.removeprefix("Perpustakaan ")


def _bars(rows: list, label: str, high: float | None = None):
    """A bar per branch, or None where no branch has a value (no chart of nothing)."""
    if all(value is None for _name, value, _ in rows):
        return None
    rows = [(_short(name), value, note) for name, value, note in rows]
    top = high if high is not None else _top([value for _name, value, _ in rows])
    return charts.bars(rows, 0, top, label)


def _note(value, unit: str = "") -> str:
    """What a bar shows after its value, in brackets: nothing for nothing."""
    return f"({value}{unit})" if value else ""


def charts_of(found: dict, names: dict, _) -> dict:
    rows = per_branch(found, names)
    visits = visits_by_month(found)
    gaps = [abs(v) for r in rows for v in r["gaps"].values() if v is not None]
    return {
        "training": [
            _bars([(r["name"], r["jp"], "") for r in rows], _("Training hours (JP) per branch")),
            _bars(
                [(r["name"], r["skm"], "") for r in rows], _("SKM index per branch (0-100)"), 100
            ),
            _bars(
                [(r["name"], r["at_level"], _note(r["gaps_closed"])) for r in rows],
                _("Staff at their position's required levels per branch, % (gaps closed)"),
                100,
            ),
        ],
        "quality": [
            # Three charts alike: each names its dimension above it too.
            Markup("<figcaption>%s</figcaption>") % _dimension(d, _)
            + charts.signed_bars(
                [(_short(r["name"]), r["gaps"][d]) for r in rows],
                _top(gaps),
                _(
                    "Adequacy gap per branch: %(dimension)s (perceived - minimum)",
                    dimension=_dimension(d, _),
                ),
            )
            for d in dimensions_of(found)
        ],
        "programmes": [
            _bars(
                [(r["name"], r["attendance"], _note(r["partners_share"], "%")) for r in rows],
                _("Attendance per branch (co-hosted share)"),
            )
        ],
        "collection": [
            _bars(
                [(r["name"], r["new_titles"], _note(r["from_suggestions"])) for r in rows],
                _("New titles per branch (from suggestions)"),
            ),
            _bars(
                [(r["name"], r["copies_added"], _note(r["copies_held"])) for r in rows],
                _("Copies added per branch (copies held today)"),
            ),
        ],
        "visits": [
            charts.line_over_time(visits, 0, _top([n for _m, n in visits]), _("Visits by month"))
            if visits
            else None
        ],
    }


def fresh_as_of(found: dict, lang: str) -> str:
    """When the newest event the figures include happened (or their rebuild)."""
    times = [f["last_event_at"] for f in found.get("freshness") or [] if f.get("last_event_at")]
    times += [found["rebuilt_at"]] if found.get("rebuilt_at") else []
    if not times:
        return ""
    newest = max(dt.datetime.fromisoformat(t) for t in times).astimezone(WIB)
    return f"{long_date(newest.date().isoformat(), lang)}, {newest:%H:%M} WIB"


def _reasons(exc: ValidationFailed, _) -> dict:
    wrong = (exc.details or {}).get("fields") or {}
    return {f: _(REASONS[f]) for f in REASONS if f in wrong} or {"from": _(REASONS["from"])}


def dashboard_page(request, dashboard, list_branches) -> Response:
    context = common(request)
    _ = translator(context["lang"])
    branches = list_branches()["items"]
    names = branch_names(branches)
    query = query_of(request)
    try:
        found = dashboard(query)
    except ValidationFailed as exc:
        return page(
            "insight/dashboard.html",
            400,
            query=query,
            chosen=set(request.args.getlist("branches")),
            branches=branches,
            errors=_reasons(exc, _),
            found=None,
            **context,
        )
    return page(
        "insight/dashboard.html",
        query=query,
        chosen={i["branch"] for i in found["items"]},
        branches=branches,
        errors={},
        found=found,
        fresh=fresh_as_of(found, context["lang"]),
        views=VIEWS,
        csv_query=urlencode([*request.args.items(multi=True)] or list(query.items())),
        tables=tables(found, names, _),
        charts=charts_of(found, names, _),
        **context,
    )


def dashboard_csv(request, view: str, dashboard, list_branches) -> Response:
    if view not in VIEWS:
        raise NotFound(f"No view {view!r}: one of {', '.join(VIEWS)}.")
    _ = translator(common(request)["lang"])
    query = query_of(request)
    names = branch_names(list_branches()["items"])
    rows = tables(dashboard(query), names, _)[view]
    return csv_response(rows, f"{view}-{query['from']}-{query['to']}.csv")
