"""Insight's answers as files: the year's KTAK data (Koleksi, Tenaga, Anggota,
Kunjungan) as CSV, a row per branch, in the columns of the contract's KtakRow; the
year's report as PDF."""

from __future__ import annotations

import base64

from werkzeug.wrappers import Response

from chassis.api import HEADQUARTERS
from services.insight.contract import CONTRACT, KtakRow

from ...edge.calls import ServiceClient
from ...edge.errors import csv_response
from ...edge.http import routes_over

route = routes_over(CONTRACT)
KTAK_COLUMNS = list(KtakRow().fields)


class InsightExports:
    insight = ServiceClient(CONTRACT)

    @route("GET", "/v1/insight/ktak.csv", HEADQUARTERS, calls="ktak", response=None,
           summary="The year's KTAK data as CSV: a row per branch (titles, copies, staff, "
                   "members, visits), as the national census of libraries asks.")  # fmt: skip
    def ktak_csv(self, request):
        found = self.insight.ktak(request.args.to_dict())
        rows = [KTAK_COLUMNS] + [[row[c] for c in KTAK_COLUMNS] for row in found["items"]]
        return csv_response(rows, f"ktak-{found['year']}.csv")

    @route("GET", "/v1/insight/report.pdf", HEADQUARTERS, calls="year_report", response=None,
           summary="The year's report as PDF (?year=): the IPLM with its elements, the KTAK "
                   "data and each branch's year of activity, by branch name.")  # fmt: skip
    def year_report_pdf(self, request):
        made = self.insight.year_report(request.args.to_dict())
        return Response(
            base64.b64decode(made["pdf_base64"]),
            mimetype="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{made["filename"]}"'},
        )
