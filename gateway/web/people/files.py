"""Staff development's files: the year's development records as CSV, and the
competency framework imported from CSV or JSON."""

from __future__ import annotations

from chassis.api import BRANCH_KEYS, HEADQUARTERS
from services.people.contract import CONTRACT

from ...edge.calls import ServiceClient
from ...edge.errors import BadRequest, csv_response, json_response
from ...edge.http import UPLOAD, file_body, routes_over

route = routes_over(CONTRACT)
MAX_IMPORT_BYTES = 5_000_000
IMPORT_FORMATS = {"text/csv": "csv", "application/json": "json"}

RECORD_COLUMNS = [
    "staff_id", "name", "branch", "position", "year", "hours_jp", "programmes",
    "competencies", "rating", "months", "credit",
]  # fmt: skip


def _record_row(record: dict) -> list:
    """A development record as one row: lists joined by "; "."""
    return [
        record["staff_id"],
        record["name"],
        record["branch"],
        record["position"],
        record["year"],
        record["hours"],
        "; ".join(p["programme_id"] for p in record["programmes"]),
        "; ".join(f"{c['competency']}:{c['level']}" for c in record["competencies"]),
        record["rating"] or "",
        record["months"] or "",
        "" if record["credit"] is None else record["credit"],
    ]


def _import_format(request) -> str:
    """csv or json: ?format=, else the body's content type."""
    wanted = request.args.get("format") or IMPORT_FORMATS.get(request.mimetype)
    if wanted not in ("csv", "json"):
        raise BadRequest(
            "Say the file's format: ?format=csv or ?format=json (or its Content-Type).",
            {"format": wanted},
        )
    return wanted


class PeopleFiles:
    people = ServiceClient(CONTRACT)

    @route("GET", "/v1/people/records.csv", BRANCH_KEYS, calls="development_records",
           response=None,
           summary="The development records of a year as CSV: one row per member of "
                   "staff.")  # fmt: skip
    def development_records_csv(self, request):
        found = self.people.development_records(request.args.to_dict())["items"]
        rows = [RECORD_COLUMNS] + [_record_row(r) for r in found]
        year = found[0]["year"] if found else request.args.get("year")
        return csv_response(rows, f"pembinaan-{year}.csv")

    @route(
        "POST",
        "/v1/people/competencies/imports",
        HEADQUARTERS,
        calls="import_competencies",
        body=UPLOAD,
        summary="Import competencies from CSV (a header line: area, area_name_id, "
        "area_name_en, code, name_id, name_en, levels, proficient) or a JSON array of such "
        "objects, with ?format=csv|json. All or nothing: one bad row refuses the file, and "
        "details.rows lists every bad row (row, field, reason).",
    )
    def import_competencies(self, request):
        format = _import_format(request)
        data = file_body(request, MAX_IMPORT_BYTES)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BadRequest(f"The file is not UTF-8: {exc}.") from exc
        return json_response(self.people.import_competencies(text, format))
