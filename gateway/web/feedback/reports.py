"""Results pages for headquarters (and a branch or co-hosting partner, for what
its key may see): a campaign's figures with its charts, and a year across the
branches. Rendered from the service's JSON answers, in names, not codes (the
branch's name, the survey's, each choice's text in the reader's language); the
charts are SVG drawn on the server (gateway/web/shell/charts.py)."""

from __future__ import annotations

from werkzeug.wrappers import Response

from gateway.web.shell import charts
from gateway.web.shell.i18n import translator
from gateway.web.shell.render import common, page
from services.feedback.contract import SCALES


def _chart(question: dict, options: dict, lang: str, label: str):
    """How a question was answered, drawn: a column per value of its scale (every
    value, those nobody gave too), or a bar per choice, by its text."""
    given = question.get("distribution") or {}
    if question["type"] in SCALES:
        low, high = SCALES[question["type"]]
        return charts.columns([(str(v), given.get(str(v), 0)) for v in range(low, high + 1)], label)
    texts = options.get(question["id"], {})
    rows = [(texts.get(v, {}).get(f"text_{lang}", v), n, "") for v, n in given.items()]
    return charts.bars(rows, 0, max([n for _, n, _ in rows] + [1]), label) if rows else None


def campaign_report(request, found: dict, template: dict) -> Response:
    context = common(request)
    lang = context["lang"]
    _ = translator(lang)
    libqual = [q for q in found["questions"] if q["type"] == "libqual"]
    zone_label = _("Zone of tolerance per item (minimum - desired; mark: perceived)")
    zone = charts.zone_of_tolerance(libqual, zone_label) if libqual else None
    options = {
        q["id"]: {o["value"]: o for o in q.get("options") or ()} for q in template["questions"]
    }
    drawn = [
        {**q, "chart": _chart(q, options, lang, q[f"text_{lang}"])}
        for q in found["questions"]
        if q["type"] != "libqual"
    ]
    return page(
        "feedback/report.html",
        title=found["campaign"]["title"],
        results=found,
        survey=template[f"name_{lang}"],
        zone=zone,
        zone_label=zone_label,
        libqual=libqual,
        drawn=drawn,
        **context,
    )


def overview_report(request, found: dict) -> Response:
    context = common(request)
    _ = translator(context["lang"])
    months = [(m["month"], m["nps"]) for m in found["months"]]
    nps_label, index_label = _("NPS by month"), _("Satisfaction index per branch")
    nps = charts.line_over_time(months, -100, 100, nps_label) if months else None
    rows = [
        (
            b["name"] or b["branch"],
            (b["satisfaction"] or {}).get("index"),
            (b["satisfaction"] or {}).get("grade") or "",
        )
        for b in found["branches"]
    ]
    index = charts.bars(rows, 25, 100, index_label) if rows else None
    return page(
        "feedback/overview.html",
        title=_("Survey results of %(year)s", year=found["year"]),
        found=found,
        nps_chart=nps,
        nps_label=nps_label,
        index_chart=index,
        index_label=index_label,
        **context,
    )
