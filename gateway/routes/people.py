"""Staff development's routes, over the people service's client (made from its
contract), and the public certificate check a certificate's QR code opens.

Headquarters (admin keys) manages everything; a branch key manages its own
branch's staff (the service checks each record against the caller); partner and
integrator keys read the programmes and the competency framework, nothing about a
person."""

from __future__ import annotations

import base64

from werkzeug.wrappers import Response

from services.people.contract import (
    CONTRACT,
    PROGRAMME_ID,
    STAFF_ID,
    AttendanceInput,
    AttendanceResult,
    BranchGaps,
    CertificateOutput,
    DevelopmentRecord,
    EnrolmentInput,
    EnrolmentList,
    EnrolmentOutput,
    Framework,
    ImportReport,
    PositionRequirements,
    ProgrammeInput,
    ProgrammeOutput,
    ProgrammePage,
    ProgrammeQuery,
    RatingInput,
    RecordList,
    RecordQuery,
    RequirementInput,
    RevokeInput,
    StaffChange,
    StaffGaps,
    StaffInput,
    StaffOutput,
    StaffPage,
    StaffQuery,
    Transition,
    Verification,
)

from ..edge.cache import Cache, Freshness, kept_fresh
from ..edge.calls import ServiceClient
from ..edge.errors import BadRequest, csv_response, json_response
from ..edge.http import PUBLIC, UPLOAD, file_body, json_body, path_id, route
from ..pages.certificates import verification_page
from ..pages.render import PageQuery

ADMIN = ("admin",)
STAFF_KEYS = ("admin", "branch")  # who may see and act for a person
MAX_IMPORT_BYTES = 5_000_000
IMPORT_FORMATS = {"text/csv": "csv", "application/json": "json"}

# A certificate's check is read by whoever scans its code, far more often than it
# changes: it is served from memory, and its one change (a revocation) drops it, at
# once for a revocation through this gateway, else when the event arrives (within
# GATEWAY_CACHE_SECONDS if events stop).
VERIFICATIONS = Freshness(
    "people.verification", source="people", drop_by={"certificate_revoked": "code"}
)

path_id("staff", STAFF_ID, "member of staff")
path_id("programme", PROGRAMME_ID)


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


class PeopleRoutes:
    people = ServiceClient(CONTRACT)
    cache = Cache()

    on_verification_events = kept_fresh(VERIFICATIONS)

    def _verification(self, code: str) -> dict:
        found = self.cache.get(VERIFICATIONS.kind, code)
        if found is None:
            found = self.people.verify_certificate(code)
            self.cache.put(VERIFICATIONS.kind, code, found)
        return found

    # -- staff ----------------------------------------------------------------------
    @route(
        "POST",
        "/v1/people/staff",
        roles=STAFF_KEYS,
        summary="Register a member of staff (a branch key: at its own branch). The NIP, "
        "for civil servants, is checked part by part.",
        body=StaffInput,
        response=StaffOutput,
        status=201,
        tag="people",
        link=("staff_id", "id"),
        calls=(CONTRACT.method("register_staff"),),
    )
    def register_staff(self, request):
        made = self.people.register_staff(json_body(request))
        return json_response(made, 201, {"Location": f"/v1/people/staff/{made['id']}"})

    @route(
        "GET",
        "/v1/people/staff",
        roles=STAFF_KEYS,
        summary="Staff, a page at a time (a branch key: its own branch's).",
        query=StaffQuery,
        response=StaffPage,
        tag="people",
        calls=(CONTRACT.method("list_staff"),),
    )
    def list_staff(self, request):
        return json_response(self.people.list_staff(request.args.to_dict()))

    @route(
        "GET",
        "/v1/people/staff/<staff:staff_id>",
        roles=STAFF_KEYS,
        summary="One member of staff, with the history of their positions.",
        response=StaffOutput,
        tag="people",
        calls=(CONTRACT.method("get_staff"),),
    )
    def get_staff(self, request, staff_id):
        return json_response(self.people.get_staff(staff_id))

    @route(
        "PATCH",
        "/v1/people/staff/<staff:staff_id>",
        roles=STAFF_KEYS,
        summary="Change a member of staff: the fields sent; a new position joins the history.",
        body=StaffChange,
        response=StaffOutput,
        tag="people",
        calls=(CONTRACT.method("change_staff"),),
    )
    def change_staff(self, request, staff_id):
        return json_response(self.people.change_staff(staff_id, json_body(request)))

    # -- development records, credit points, gaps ------------------------------------------
    @route(
        "POST",
        "/v1/people/staff/<staff:staff_id>/ratings/<int:year>",
        roles=ADMIN,
        summary="Record a year's performance rating (predikat kinerja), from which the "
        "year's credit points (angka kredit) are counted.",
        body=RatingInput,
        response=DevelopmentRecord,
        tag="people",
        calls=(CONTRACT.method("rate_staff"),),
    )
    def rate_staff(self, request, staff_id, year):
        return json_response(self.people.rate_staff(staff_id, year, json_body(request)))

    @route(
        "GET",
        "/v1/people/staff/<staff:staff_id>/records/<int:year>",
        roles=STAFF_KEYS,
        summary="A member of staff's development record for a year: programmes completed, "
        "learning hours (JP), competencies with their evidence, rating and credit points.",
        response=DevelopmentRecord,
        tag="people",
        calls=(CONTRACT.method("development_record"),),
    )
    def development_record(self, request, staff_id, year):
        return json_response(self.people.development_record(staff_id, year))

    @route(
        "GET",
        "/v1/people/records",
        roles=STAFF_KEYS,
        summary="Every member of staff's development record for a year (a branch key: its "
        "branch's); /v1/people/records.csv is the same as a table.",
        query=RecordQuery,
        response=RecordList,
        tag="people",
        calls=(CONTRACT.method("development_records"),),
    )
    def development_records(self, request):
        return json_response(self.people.development_records(request.args.to_dict()))

    @route(
        "GET",
        "/v1/people/records.csv",
        roles=STAFF_KEYS,
        summary="The development records of a year as CSV: one row per member of staff.",
        query=RecordQuery,
        tag="people",
        calls=(CONTRACT.method("development_records"),),
    )
    def development_records_csv(self, request):
        found = self.people.development_records(request.args.to_dict())["items"]
        rows = [RECORD_COLUMNS] + [_record_row(r) for r in found]
        year = found[0]["year"] if found else request.args.get("year")
        return csv_response(rows, f"pembinaan-{year}.csv")

    @route(
        "GET",
        "/v1/people/staff/<staff:staff_id>/gaps",
        roles=STAFF_KEYS,
        summary="What a member of staff's position requires that they have not shown yet, "
        "and the scheduled programmes that would close each gap.",
        response=StaffGaps,
        tag="people",
        calls=(CONTRACT.method("staff_gaps"),),
    )
    def staff_gaps(self, request, staff_id):
        return json_response(self.people.staff_gaps(staff_id))

    @route(
        "GET",
        "/v1/people/branches/<code>/gaps",
        roles=STAFF_KEYS,
        summary="A branch's competency gaps: who is short of what, and what would close it.",
        response=BranchGaps,
        tag="people",
        calls=(CONTRACT.method("branch_gaps"),),
    )
    def branch_gaps(self, request, code):
        return json_response(self.people.branch_gaps(code))

    # -- competency framework ------------------------------------------------------------
    @route(
        "GET",
        "/v1/people/competencies",
        summary="The competency framework: areas, competencies and their scales.",
        response=Framework,
        tag="people",
        calls=(CONTRACT.method("get_framework"),),
    )
    def get_framework(self, request):
        return json_response(self.people.get_framework())

    @route(
        "POST",
        "/v1/people/competencies/imports",
        roles=ADMIN,
        summary="Import competencies from CSV (a header line: area, area_name_id, "
        "area_name_en, code, name_id, name_en, levels, proficient) or a JSON array of such "
        "objects, with ?format=csv|json. All or nothing: one bad row refuses the file, and "
        "details.rows lists every bad row (row, field, reason).",
        body=UPLOAD,
        response=ImportReport,
        tag="people",
        calls=(CONTRACT.method("import_competencies"),),
    )
    def import_competencies(self, request):
        format = _import_format(request)
        data = file_body(request, MAX_IMPORT_BYTES)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BadRequest(f"The file is not UTF-8: {exc}.") from exc
        return json_response(self.people.import_competencies(text, format))

    @route(
        "GET",
        "/v1/people/positions/<position>/requirements",
        summary="The level a position of the jabatan fungsional requires per competency.",
        response=PositionRequirements,
        tag="people",
        calls=(CONTRACT.method("get_requirements"),),
    )
    def get_requirements(self, request, position):
        return json_response(self.people.get_requirements(position))

    @route(
        "POST",
        "/v1/people/positions/<position>/requirements",
        roles=ADMIN,
        summary="Set the level a position requires of one competency (0: none).",
        body=RequirementInput,
        response=PositionRequirements,
        tag="people",
        calls=(CONTRACT.method("put_requirement"),),
    )
    def put_requirement(self, request, position):
        return json_response(self.people.put_requirement(position, json_body(request)))

    # -- programmes -------------------------------------------------------------------
    @route(
        "POST",
        "/v1/people/programmes",
        roles=ADMIN,
        summary="Plan a programme (a draft): training, workshop or seminar, with its "
        "sessions, learning hours (JP), capacity and the competencies it builds.",
        body=ProgrammeInput,
        response=ProgrammeOutput,
        status=201,
        tag="people",
        link=("programme_id", "id"),
        calls=(CONTRACT.method("create_programme"),),
    )
    def create_programme(self, request):
        made = self.people.create_programme(json_body(request))
        return json_response(made, 201, {"Location": f"/v1/people/programmes/{made['id']}"})

    @route(
        "GET",
        "/v1/people/programmes",
        summary="Programmes, newest first, a page at a time.",
        query=ProgrammeQuery,
        response=ProgrammePage,
        tag="people",
        calls=(CONTRACT.method("list_programmes"),),
    )
    def list_programmes(self, request):
        return json_response(self.people.list_programmes(request.args.to_dict()))

    @route(
        "GET",
        "/v1/people/programmes/<programme:programme_id>",
        summary="One programme, with its sessions and the number enrolled and waiting.",
        response=ProgrammeOutput,
        tag="people",
        calls=(CONTRACT.method("get_programme"),),
    )
    def get_programme(self, request, programme_id):
        return json_response(self.people.get_programme(programme_id))

    @route(
        "PUT",
        "/v1/people/programmes/<programme:programme_id>",
        roles=ADMIN,
        summary="Replace a draft programme whole (once scheduled: 409).",
        body=ProgrammeInput,
        response=ProgrammeOutput,
        tag="people",
        calls=(CONTRACT.method("replace_programme"),),
    )
    def replace_programme(self, request, programme_id):
        return json_response(self.people.replace_programme(programme_id, json_body(request)))

    @route(
        "POST",
        "/v1/people/programmes/<programme:programme_id>/transitions",
        roles=ADMIN,
        summary="Move a programme on: draft -> scheduled -> running -> completed, or "
        "cancelled; any other move is a 409. Completing it settles every participant "
        "(attendance against its completion_percent), records competencies and issues "
        "certificates.",
        body=Transition,
        response=ProgrammeOutput,
        tag="people",
        calls=(CONTRACT.method("transition_programme"),),
    )
    def transition_programme(self, request, programme_id):
        return json_response(self.people.transition_programme(programme_id, json_body(request)))

    @route(
        "POST",
        "/v1/people/programmes/<programme:programme_id>/enrolments",
        roles=STAFF_KEYS,
        summary="Enrol a member of staff (a branch key: its own staff); past the capacity "
        "they wait, in the order they came.",
        body=EnrolmentInput,
        response=EnrolmentOutput,
        status=201,
        tag="people",
        calls=(CONTRACT.method("enrol"),),
    )
    def enrol(self, request, programme_id):
        return json_response(self.people.enrol(programme_id, json_body(request)), 201)

    @route(
        "GET",
        "/v1/people/programmes/<programme:programme_id>/enrolments",
        roles=STAFF_KEYS,
        summary="Who takes part and who waits (a branch key: its own staff).",
        response=EnrolmentList,
        tag="people",
        calls=(CONTRACT.method("list_enrolments"),),
    )
    def list_enrolments(self, request, programme_id):
        return json_response(self.people.list_enrolments(programme_id))

    @route(
        "POST",
        "/v1/people/programmes/<programme:programme_id>/enrolments/<staff:staff_id>/withdraw",
        roles=STAFF_KEYS,
        summary="Withdraw a participant; the first waiting takes the freed place.",
        response=EnrolmentOutput,
        tag="people",
        calls=(CONTRACT.method("withdraw"),),
    )
    def withdraw(self, request, programme_id, staff_id):
        return json_response(self.people.withdraw(programme_id, staff_id))

    @route(
        "POST",
        "/v1/people/programmes/<programme:programme_id>/attendance",
        roles=STAFF_KEYS,
        summary="Record who came to one session of a running programme.",
        body=AttendanceInput,
        response=AttendanceResult,
        tag="people",
        calls=(CONTRACT.method("record_attendance"),),
    )
    def record_attendance(self, request, programme_id):
        return json_response(self.people.record_attendance(programme_id, json_body(request)))

    # -- certificates ------------------------------------------------------------------
    @route(
        "GET",
        "/v1/people/certificates/<code>",
        roles=STAFF_KEYS,
        summary="One certificate (a branch key: its own staff's).",
        response=CertificateOutput,
        tag="people",
        calls=(CONTRACT.method("get_certificate"),),
    )
    def get_certificate(self, request, code):
        return json_response(self.people.get_certificate(code))

    @route(
        "GET",
        "/v1/people/certificates/<code>/pdf",
        roles=STAFF_KEYS,
        summary="A certificate as PDF, with the QR code of its public check.",
        tag="people",
        calls=(CONTRACT.method("certificate_pdf"),),
    )
    def certificate_pdf(self, request, code):
        made = self.people.certificate_pdf(code)
        return Response(
            base64.b64decode(made["pdf_base64"]),
            mimetype="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{made["filename"]}"'},
        )

    @route(
        "POST",
        "/v1/people/certificates/<code>/revoke",
        roles=ADMIN,
        summary="Revoke a certificate, with the reason its public check will show.",
        body=RevokeInput,
        response=CertificateOutput,
        tag="people",
        calls=(CONTRACT.method("revoke_certificate"),),
    )
    def revoke_certificate(self, request, code):
        revoked = self.people.revoke_certificate(code, json_body(request))
        self.cache.drop(VERIFICATIONS.kind, code)
        return json_response(revoked)

    @route(
        "GET",
        "/v1/people/verifications/<code>",
        roles=PUBLIC,
        summary="Check a certificate by its code, no key needed: valid or revoked, for whom "
        "(the name only), the programme, its dates and hours.",
        response=Verification,
        tag="people",
        calls=(CONTRACT.method("verify_certificate"),),
    )
    def verify_certificate(self, request, code):
        return json_response(self._verification(code))

    @route(
        "GET",
        "/verify/<path:code>",
        roles=PUBLIC,
        summary="The certificate check for people, as an HTML page (?lang=en for English); "
        "an unknown code is a 404 page.",
        query=PageQuery,
        tag="people",
        page=True,
        calls=(CONTRACT.method("verify_certificate"),),
    )
    def verify_page(self, request, code):
        return verification_page(request, code, self._verification)
