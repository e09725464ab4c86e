"""The feedback service's answers in other shapes: results and the year's overview
as CSV, a template at a version the query names."""

from __future__ import annotations

from chassis.api import ANY_KEY, BRANCH_KEYS, PARTNER_KEYS
from services.feedback.contract import CONTRACT

from ...edge.calls import ServiceClient
from ...edge.errors import BadRequest, csv_response, json_response
from ...edge.http import routes_over

route = routes_over(CONTRACT)

RESULT_COLUMNS = [
    "question", "type", "dimension", "answered", "mean", "nps", "minimum", "desired",
    "perceived", "adequacy_gap", "superiority_gap", "distribution",
]  # fmt: skip
OVERVIEW_COLUMNS = [
    "branch", "responses", "satisfaction_index", "grade", "nps", "tickets", "resolved",
    "resolution_days",
]  # fmt: skip


def _cell(value):
    return "" if value is None else value


def _result_row(q: dict) -> list:
    distribution = "; ".join(f"{v}:{n}" for v, n in (q.get("distribution") or {}).items())
    return [_cell(q.get(c)) for c in RESULT_COLUMNS[:-1]] + [distribution]


def _version(request) -> int | None:
    raw = request.args.get("version")
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 100_000:
        raise BadRequest("version must be a whole number from 1.", {"version": raw})
    return int(raw)


class FeedbackExports:
    feedback = ServiceClient(CONTRACT)

    @route("GET", "/v1/feedback/templates/<template>", ANY_KEY, calls="get_template",
           summary="A survey template: its latest version, or ?version=N (a published "
                   "version never changes).")  # fmt: skip
    def get_template(self, request, template):
        return json_response(self.feedback.get_template(template, _version(request)))

    @route("GET", "/v1/feedback/campaigns/<campaign:campaign_id>/results.csv", PARTNER_KEYS,
           calls="results", response=None,
           summary="A campaign's results as CSV: one row per question.")  # fmt: skip
    def results_csv(self, request, campaign_id):
        found = self.feedback.results(campaign_id)
        rows = [RESULT_COLUMNS] + [_result_row(q) for q in found["questions"]]
        return csv_response(rows, f"hasil-{campaign_id}.csv")

    @route("GET", "/v1/feedback/overview.csv", BRANCH_KEYS, calls="overview", response=None,
           summary="A year across the branches as CSV: one row per branch.")  # fmt: skip
    def overview_csv(self, request):
        found = self.feedback.overview(request.args.to_dict())
        rows = [OVERVIEW_COLUMNS] + [
            [
                b["branch"], b["responses"], _cell((b["satisfaction"] or {}).get("index")),
                _cell((b["satisfaction"] or {}).get("grade")), _cell(b["nps"]), b["tickets"],
                b["resolved"], _cell(b["resolution_days"]),
            ]
            for b in found["branches"]
        ]  # fmt: skip
        return csv_response(rows, f"survei-{found['year']}.csv")
