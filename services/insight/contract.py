"""Insight's public contract: headquarters' view across the services (read models of
their events per branch and month), the visitors' book, the monthly member counts and
the city's literacy figures (IPLM). Its RPC methods with what they take and give; it
publishes no events (nothing others need); the events of others it reads, each with
its own copy of the fields it relies on.

Nothing personal is kept: staff, registrations and tickets are known by their ids
only (no name, NIP, contact or message), a visit by its purpose and age group and, if
the visitor gives it, a library card number, which no answer ever shows.
"""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from chassis.branches import branch_code
from chassis.contract import Consumes, Contract, Method
from chassis.errors import Conflict, Forbidden
from chassis.schemas import Input, Integer

PURPOSES = ("reading", "borrowing", "studying", "internet", "programme", "other")
# The events service's age groups, and "unknown" for a visitor nobody asked.
AGE_GROUPS = ("child", "teen", "adult", "senior", "unknown")
# The LibQUAL+ dimensions of feedback's built-in service-quality survey, in the order
# the pages show them (a template of its own may name others: they are kept too).
LIBQUAL_DIMENSIONS = ("affect_of_service", "information_control", "library_as_place")
# The catalogue's statuses of a copy no longer held (copies_held leaves them out).
NOT_HELD = ("lost", "withdrawn")
# The years a figure is kept and asked for. A month is one of theirs: the pattern alone
# let through 0000-01 and 9999-12, whose first or last day no calendar date can hold.
FIRST_YEAR, LAST_YEAR = 2000, 2100
MONTH = r"(20\d\d|2100)-(0[1-9]|1[0-2])\Z"
MAX_DAYS = 366  # a read of visits spans at most a year of days
MAX_CSV_ROWS = 5000
MAX_MONTHS = 36  # a dashboard read spans at most three years of months
BRANCH_LIST = r"[A-Z0-9]{2,10}(,[A-Z0-9]{2,10}){0,49}\Z"  # SPN,KMN

_month = validate.Regexp(MONTH, error=f"Use YYYY-MM, from {FIRST_YEAR}-01 to {LAST_YEAR}-12.")
_year = validate.Range(min=FIRST_YEAR, max=LAST_YEAR)
_card = validate.Length(min=3, max=40)


# -- the visitors' book ---------------------------------------------------------------
class VisitInput(Input):
    """One visitor at the entrance: why they came and their age group; their library
    card number if they give it (counted as a member's visit, never shown)."""

    branch = fields.String(required=True, validate=branch_code)
    purpose = fields.String(required=True, validate=validate.OneOf(PURPOSES))
    age_group = fields.String(load_default="unknown", validate=validate.OneOf(AGE_GROUPS))
    card = fields.String(allow_none=True, validate=_card)
    day = fields.Date(allow_none=True, metadata={"description": "today (WIB) if absent"})


class VisitRecorded(Schema):
    branch = fields.String(required=True)
    day = fields.Date(required=True)
    visits = fields.Integer(required=True, metadata={"description": "the day's, this one in"})


class HeadcountRow(Input):
    purpose = fields.String(required=True, validate=validate.OneOf(PURPOSES))
    age_group = fields.String(load_default="unknown", validate=validate.OneOf(AGE_GROUPS))
    count = Integer(required=True, validate=validate.Range(min=0, max=100_000))


class HeadcountInput(Input):
    """A day's visitors counted by hand: it replaces the branch's earlier count of
    that day, and where given it is the day's figure (the entries at the door are not
    added to it)."""

    branch = fields.String(required=True, validate=branch_code)
    day = fields.Date(required=True)
    counts = fields.List(
        fields.Nested(HeadcountRow), required=True, validate=validate.Length(min=1, max=60)
    )


class VisitQuery(Input):
    branch = fields.String(validate=branch_code)
    start = fields.Date(required=True, data_key="from")
    end = fields.Date(required=True, data_key="to")


class VisitDay(Schema):
    branch = fields.String(required=True)
    day = fields.Date(required=True)
    visits = fields.Integer(required=True)
    headcount = fields.Boolean(
        required=True, metadata={"description": "counted by hand (else the entries)"}
    )
    by_purpose = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_age_group = fields.Dict(keys=fields.String(), values=fields.Integer())
    members = fields.Integer(metadata={"description": "distinct library cards among entries"})


class VisitDays(Schema):
    items = fields.List(fields.Nested(VisitDay), required=True)


# -- members ----------------------------------------------------------------------------
class MembersInput(Input):
    """A branch's members at the end of a month, as headquarters counts them."""

    branch = fields.String(required=True, validate=branch_code)
    month = fields.String(required=True, validate=_month)
    members = Integer(required=True, validate=validate.Range(min=0, max=10_000_000))
    new_members = Integer(allow_none=True, validate=validate.Range(min=0, max=10_000_000))


class MembersOutput(Schema):
    branch = fields.String(required=True)
    month = fields.String(required=True)
    members = fields.Integer(required=True)
    new_members = fields.Integer(allow_none=True)


class MembersImport(Input):
    """A CSV with a header line `branch,month,members[,new_members]`: all or nothing."""

    csv = fields.String(required=True, validate=validate.Length(min=1, max=1_000_000))


class MembersImported(Schema):
    rows = fields.Integer(required=True)


class MembersQuery(Input):
    year = fields.Integer(required=True, validate=_year)
    branch = fields.String(validate=branch_code)


class MembersList(Schema):
    items = fields.List(fields.Nested(MembersOutput), required=True)


# -- the dashboard -------------------------------------------------------------------------
class DashboardQuery(Input):
    start = fields.String(required=True, data_key="from", validate=_month)
    end = fields.String(required=True, data_key="to", validate=_month)
    branches = fields.String(
        validate=validate.Regexp(BRANCH_LIST, error="Branch codes, separated by commas."),
        metadata={"description": "SPN,KMN: these branches only (a branch key: its own)"},
    )


class BranchMonth(Schema):
    """One branch's month: each area's figures (a figure no event carries is absent
    from the model and named under `not_counted` of the answer)."""

    branch = fields.String(required=True)
    month = fields.String(required=True)
    collection = fields.Dict(required=True)
    staff = fields.Dict(required=True)
    programmes = fields.Dict(required=True)
    quality = fields.Dict(required=True)
    visits = fields.Dict(required=True)


class Freshness(Schema):
    source = fields.String(required=True)
    events = fields.Integer(required=True)
    last_event_at = fields.DateTime(allow_none=True, format="iso")


class Dashboard(Schema):
    start = fields.String(data_key="from")
    end = fields.String(data_key="to")
    items = fields.List(fields.Nested(BranchMonth), required=True)
    city = fields.Dict(metadata={"description": "figures kept city-wide (e-resources, ...)"})
    freshness = fields.List(fields.Nested(Freshness))
    rebuilt_at = fields.DateTime(allow_none=True, format="iso")
    not_counted = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": "figures asked for that no event carries, and why"},
    )


class BranchOutput(Schema):
    code = fields.String(required=True, metadata={"example": "KMN"})
    name = fields.String(required=True, metadata={"example": "Cabang Kumun Debai"})


class BranchList(Schema):
    """The branches a caller reads the figures of (a branch key: its own), by name,
    as the catalogue's events told them: what the pages offer to choose from."""

    items = fields.List(fields.Nested(BranchOutput), required=True)


# -- the city's literacy figures ----------------------------------------------------------
class YearQuery(Input):
    year = fields.Integer(required=True, validate=_year)


class Element(Schema):
    code = fields.String(required=True, metadata={"example": "UPLM2"})
    name = fields.String(required=True)
    value = fields.Float(allow_none=True, metadata={"description": "the raw count"})
    base = fields.Float(allow_none=True, metadata={"description": "its population base"})
    ratio = fields.Float(allow_none=True)
    standard = fields.Float(allow_none=True)
    score = fields.Float(allow_none=True, metadata={"description": "ratio / standard, at most 1"})
    source = fields.String(required=True, metadata={"description": "platform or setting"})


class Iplm(Schema):
    year = fields.Integer(required=True)
    method = fields.String(required=True)
    reference = fields.String(required=True)
    population = fields.Integer(required=True)
    elements = fields.List(fields.Nested(Element), required=True)
    index = fields.Float(allow_none=True)
    category = fields.String(allow_none=True)
    notes = fields.List(fields.String())


class KtakRow(Schema):
    branch = fields.String(required=True)  # the code, for the applications that read it
    branch_name = fields.String(required=True)  # the name, for the people who do
    titles = fields.Integer(required=True)
    copies = fields.Integer(required=True)
    staff_librarians = fields.Integer(required=True)
    staff_other = fields.Integer(required=True)
    members = fields.Integer(required=True)
    visits = fields.Integer(required=True)


class Ktak(Schema):
    """Koleksi, Tenaga, Anggota, Kunjungan: the year's data the national census asks."""

    year = fields.Integer(required=True)
    items = fields.List(fields.Nested(KtakRow), required=True)


class ReportPdf(Schema):
    """The year's report as a PDF, its bytes in base64 (the gateway sends them as they are)."""

    filename = fields.String(required=True)
    pdf_base64 = fields.String(required=True)


class RebuildResult(Schema):
    records = fields.Dict(keys=fields.String(), values=fields.Integer())
    rebuilt_at = fields.DateTime(format="iso")


# -- what insight reads of others ----------------------------------------------------------
class BranchSeen(Schema):
    code = fields.String(required=True, validate=branch_code)
    name = fields.String(required=True)


class TitleSeen(Schema):
    """catalog's title_created, title_updated, title_withdrawn."""

    id = fields.String(required=True)
    material_type = fields.String(required=True)
    acquisition_ref = fields.String(allow_none=True)
    created_at = fields.DateTime(format="iso")
    updated_at = fields.DateTime(format="iso")  # a withdrawal's time, its copies' too


class ItemSeen(Schema):
    """catalog's item_added and item_status_changed: a copy of a title at a branch,
    its status and the time of it (the producer's schema marks none of them
    required; every item has them all, and created_at since it was added)."""

    barcode = fields.String()
    title_id = fields.String()
    branch = fields.String()
    status = fields.String()
    updated_at = fields.DateTime(format="iso")
    created_at = fields.DateTime(format="iso")


class StaffSeen(Schema):
    """people's staff_registered and staff_changed: the name is not read."""

    id = fields.String(required=True)
    branch = fields.String(required=True)
    position = fields.String(required=True)
    active = fields.Boolean(required=True)


class TrainingCompleted(Schema):
    programme_id = fields.String(required=True)
    staff_id = fields.String(required=True)
    branch = fields.String(required=True)
    kind = fields.String(required=True)
    hours = fields.Integer(required=True)
    completed_on = fields.Date(required=True)


class CertificateSeen(Schema):
    code = fields.String(required=True)
    staff_id = fields.String(required=True)
    programme_id = fields.String(required=True)
    revoked_at = fields.DateTime(allow_none=True, format="iso")


class RequirementSeen(Schema):
    """people's requirement_changed: a position's required level (0: none)."""

    position = fields.String(required=True)
    competency = fields.String(required=True)
    level = fields.Integer(required=True)


class CompetencyAttained(Schema):
    staff_id = fields.String(required=True)
    competency = fields.String(required=True)
    level = fields.Integer(required=True)
    attained_on = fields.Date(required=True)


class EventCompleted(Schema):
    occurrence_id = fields.String(required=True)
    programme_id = fields.String(required=True)
    programme_type = fields.String(required=True)
    audience = fields.String(required=True)
    branch = fields.String(required=True)
    ends_at = fields.DateTime(required=True, format="iso")
    partners = fields.List(fields.String(), required=True)
    registered = fields.Integer(required=True)
    attended = fields.Integer(required=True)
    walk_ins = fields.Integer(required=True)
    no_shows = fields.Integer(required=True)


class AttendanceRecorded(Schema):
    registration_id = fields.String(required=True)
    occurrence_id = fields.String(required=True)
    branch = fields.String(required=True)
    walk_in = fields.Boolean(required=True)
    age_group = fields.String(allow_none=True)


class SurveyOpened(Schema):
    campaign_id = fields.String(required=True)
    template = fields.String(required=True)
    subject_type = fields.String(required=True)
    branch = fields.String(allow_none=True)
    opens_on = fields.Date(required=True)


class LibqualSeen(Schema):
    """One dimension of evaluation_summarized's libqual: the gap read, the rest left."""

    class Meta:
        unknown = EXCLUDE  # a nested schema does not take the envelope's EXCLUDE

    dimension = fields.String(allow_none=True)
    adequacy_gap = fields.Float(allow_none=True)


class EvaluationSummarized(Schema):
    campaign_id = fields.String(required=True)
    responses = fields.Integer(required=True)
    nps = fields.Float(allow_none=True)
    satisfaction_index = fields.Float(allow_none=True)
    satisfaction_grade = fields.String(allow_none=True)
    libqual = fields.List(fields.Nested(LibqualSeen))  # absent from events before it was added


class TicketOpened(Schema):
    ticket_id = fields.String(required=True)
    category = fields.String(required=True)
    branch = fields.String(required=True)
    opened_at = fields.DateTime(format="iso")  # absent from events before it was added


class TicketResolved(Schema):
    ticket_id = fields.String(required=True)
    category = fields.String(required=True)
    branch = fields.String(required=True)
    status = fields.String(required=True)
    days = fields.Float(required=True)
    resolved_at = fields.DateTime(format="iso")  # absent from events before it was added


class SuggestionSeen(Schema):
    suggestion_id = fields.String(required=True)
    kind = fields.String(required=True)
    branch = fields.String(allow_none=True)
    status = fields.String(required=True)
    submitted_on = fields.Date()  # absent from events before it was added


ADMIN_ERRORS = (Forbidden,)

CONSUMES = (
    Consumes("catalog", "branch_updated", BranchSeen),
    Consumes("catalog", "title_created", TitleSeen),
    Consumes("catalog", "title_updated", TitleSeen),
    Consumes("catalog", "title_withdrawn", TitleSeen),
    Consumes("catalog", "item_added", ItemSeen),
    Consumes("catalog", "item_status_changed", ItemSeen),
    Consumes("people", "staff_registered", StaffSeen),
    Consumes("people", "staff_changed", StaffSeen),
    Consumes("people", "training_completed", TrainingCompleted),
    Consumes("people", "certificate_issued", CertificateSeen),
    Consumes("people", "certificate_revoked", CertificateSeen),
    Consumes("people", "competency_attained", CompetencyAttained),
    Consumes("people", "requirement_changed", RequirementSeen),
    Consumes("events", "event_completed", EventCompleted),
    Consumes("events", "attendance_recorded", AttendanceRecorded),
    Consumes("feedback", "survey_opened", SurveyOpened),
    Consumes("feedback", "evaluation_summarized", EvaluationSummarized),
    Consumes("feedback", "ticket_opened", TicketOpened),
    Consumes("feedback", "ticket_resolved", TicketResolved),
    Consumes("feedback", "suggestion_submitted", SuggestionSeen),
    Consumes("feedback", "suggestion_fulfilled", SuggestionSeen),
)

CONTRACT = Contract(
    service="insight",
    methods=(
        Method("record_visit", ("payload",), VisitInput, VisitRecorded, (Forbidden,), writes=True),
        Method(
            "record_headcount", ("payload",), HeadcountInput, VisitDay, (Forbidden,), writes=True
        ),
        Method("visits", ("params",), VisitQuery, VisitDays, (Forbidden,)),
        Method("put_members", ("payload",), MembersInput, MembersOutput, ADMIN_ERRORS, writes=True),
        Method(
            "import_members",
            ("payload",),
            MembersImport,
            MembersImported,
            ADMIN_ERRORS,
            writes=True,
            deadline=30.0,
        ),
        Method("members", ("params",), MembersQuery, MembersList, (Forbidden,)),
        Method("branches", (), None, BranchList, (Forbidden,)),
        Method("dashboard", ("params",), DashboardQuery, Dashboard, (Forbidden,), deadline=30.0),
        Method("iplm", ("params",), YearQuery, Iplm, ADMIN_ERRORS, deadline=30.0),
        Method("ktak", ("params",), YearQuery, Ktak, ADMIN_ERRORS, deadline=30.0),
        Method("year_report", ("params",), YearQuery, ReportPdf, ADMIN_ERRORS, deadline=30.0),
        Method(
            "rebuild",
            (),
            None,
            RebuildResult,
            (*ADMIN_ERRORS, Conflict),
            writes=True,
            deadline=600.0,
        ),
        Method("health"),
    ),
    consumes=CONSUMES,
)
