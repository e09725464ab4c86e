"""Results pages for headquarters (and a branch or co-hosting partner, for what
its key may see): a campaign's figures with its charts, and a year across the
branches. Rendered from the service's JSON answers; the charts are SVG drawn on the
server (gateway/web/shell/charts.py)."""

from __future__ import annotations

from werkzeug.wrappers import Response

from gateway.web.shell import charts
from gateway.web.shell.i18n import translator
from gateway.web.shell.render import common, page


def campaign_report(request, found: dict) -> Response:
    context = common(request)
    _ = translator(context["lang"])
    items = [q for q in found["questions"] if q["type"] == "libqual"]
    zone_label = _("Zone of tolerance per item (minimum - desired; mark: perceived)")
    zone = charts.zone_of_tolerance(items, zone_label) if items else None
    return page(
        "feedback/report.html",
        title=found["campaign"]["title"],
        results=found,
        zone=zone,
        zone_label=zone_label,
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
            b["branch"],
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
