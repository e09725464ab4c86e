"""Results pages for headquarters (and a branch or co-hosting partner, for what
its key may see): a campaign's figures with its charts, and a year across the
branches. Rendered from the service's JSON answers; the charts are SVG drawn here
(charts.py)."""

from __future__ import annotations

from werkzeug.wrappers import Response

from . import charts
from .render import common, language, page

TEXT = {
    "id": {
        "library": "Perpustakaan Kota Sungai Penuh",
        "other": "English",
        "responses": "Jawaban",
        "invited": "Diundang",
        "rate": "Tingkat respons",
        "average": "Rata-rata (1-5)",
        "nps": "Net Promoter Score",
        "index": "Indeks Kepuasan Masyarakat",
        "question": "Pertanyaan",
        "mean": "Rata-rata",
        "distribution": "Sebaran",
        "adequacy": "Kesenjangan kecukupan",
        "superiority": "Kesenjangan keunggulan",
        "zone": "Zona toleransi per butir (minimum - diinginkan; tanda: dirasakan)",
        "nps_time": "NPS per bulan",
        "index_branch": "Indeks kepuasan per cabang",
        "branch": "Cabang",
        "tickets": "Tiket",
        "resolution": "Hari sampai selesai",
        "year": "Hasil survei tahun",
        "comments": "Komentar",
    },
    "en": {
        "library": "City Library of Sungai Penuh",
        "other": "Bahasa Indonesia",
        "responses": "Responses",
        "invited": "Invited",
        "rate": "Response rate",
        "average": "Average (1-5)",
        "nps": "Net Promoter Score",
        "index": "Public-service satisfaction index",
        "question": "Question",
        "mean": "Mean",
        "distribution": "Distribution",
        "adequacy": "Adequacy gap",
        "superiority": "Superiority gap",
        "zone": "Zone of tolerance per item (minimum - desired; mark: perceived)",
        "nps_time": "NPS by month",
        "index_branch": "Satisfaction index per branch",
        "branch": "Branch",
        "tickets": "Tickets",
        "resolution": "Days to resolution",
        "year": "Survey results of",
        "comments": "Comments",
    },
}


def _common(request, title: str) -> dict:
    found = common(request, TEXT)
    return {**found, "t": {**found["t"], "title": title}}


def campaign_report(request, found: dict) -> Response:
    common = _common(request, found["campaign"]["title"])
    items = [q for q in found["questions"] if q["type"] == "libqual"]
    zone = charts.zone_of_tolerance(items, common["t"]["zone"]) if items else None
    return page("report.html", results=found, zone=zone, **common)


def overview_report(request, found: dict) -> Response:
    common = _common(request, f"{TEXT[language(request)]['year']} {found['year']}")
    t = common["t"]
    months = [(m["month"], m["nps"]) for m in found["months"]]
    nps = charts.line_over_time(months, -100, 100, t["nps_time"]) if months else None
    rows = [
        (
            b["branch"],
            (b["satisfaction"] or {}).get("index"),
            (b["satisfaction"] or {}).get("grade") or "",
        )
        for b in found["branches"]
    ]
    index = charts.bars(rows, 25, 100, t["index_branch"]) if rows else None
    return page("overview.html", found=found, nps_chart=nps, index_chart=index, **common)
