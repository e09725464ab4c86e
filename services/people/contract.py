"""Staff development's public contract: its RPC methods with what they take and give
and the errors they may answer, the events it publishes (each with its schema and
major version), and the events of others it reads. This module is all that the
gateway and other services may import of people.

No event carries a civil-service number (NIP) or a birth date: events go to every
subscriber, and those are personal data. Only the RPC answers to admin and branch
keys hold the NIP.
"""

from __future__ import annotations

import re

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from chassis.branches import branch_code
from chassis.contract import Consumes, Contract, Event, Method
from chassis.errors import Conflict, Forbidden, NotFound
from chassis.ids import PublicId
from chassis.schemas import Input, page_of, paged_query

# Public ids: staff (S000001) and programmes (PRG000001). A certificate is known
# by its verification code, printed on it and in its QR code.
STAFF_ID = PublicId("S", 6)
PROGRAMME_ID = PublicId("PRG", 6)
# Ten characters of an alphabet without look-alikes (no 0/O, 1/I/L): read off paper.
CERTIFICATE_CODE = re.compile(r"[2-9A-HJKMNP-Z]{10}\Z")

# The jabatan fungsional pustakawan, lowest first in each track, and staff who are
# not on it.
SKILLED = ("terampil", "mahir", "penyelia")
EXPERT = ("ahli_pertama", "ahli_muda", "ahli_madya", "ahli_utama")
POSITIONS = (*SKILLED, *EXPERT, "non_functional")
PROGRAMME_KINDS = ("training", "workshop", "seminar")
PROGRAMME_STATUSES = ("draft", "scheduled", "running", "completed", "cancelled")
ENROLMENT_STATUSES = ("enrolled", "waitlisted", "withdrawn", "completed", "not_completed")
LIMIT_DEFAULT = 50
LIMIT_MAX = 200
Paged = paged_query(default=LIMIT_DEFAULT, ceiling=LIMIT_MAX)  # its lists' base query

COMPETENCY_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{1,39}\Z")  # SKKNI: R.85SPU00.001.2
TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d\Z")
_branch = branch_code
_competency = validate.Regexp(
    COMPETENCY_CODE, error="Use 2-40 letters, digits, '.', '_' or '-', starting alphanumeric."
)
_time = validate.Regexp(TIME, error="Use HH:MM, 24-hour.")
_name = validate.Length(min=1, max=200)


# -- staff ---------------------------------------------------------------------------
class StaffInput(Input):
    """A member of staff as headquarters or their branch registers them."""

    name = fields.String(required=True, validate=_name)
    nip = fields.String(
        allow_none=True,
        metadata={
            "description": "18-digit civil-service number (NIP); none for staff who are "
            "not civil servants. Spaces are ignored.",
            "example": "198503122010012003",
        },
    )
    branch = fields.String(required=True, validate=_branch, metadata={"example": "KMN"})
    position = fields.String(required=True, validate=validate.OneOf(POSITIONS))
    active = fields.Boolean(load_default=True)


class StaffChange(Input):
    """What may change of a member of staff; fields left out stay as they are. A
    change of position is kept in the history, from `effective` (default today)."""

    name = fields.String(validate=_name)
    nip = fields.String(allow_none=True)
    branch = fields.String(validate=_branch)
    position = fields.String(validate=validate.OneOf(POSITIONS))
    active = fields.Boolean()
    effective = fields.Date(metadata={"description": "when a new position takes effect"})
    note = fields.String(allow_none=True, validate=validate.Length(max=500))


class PositionChange(Schema):
    position = fields.String()
    previous = fields.String(allow_none=True)
    effective = fields.Date()
    note = fields.String(allow_none=True)


class StaffOutput(Schema):
    id = fields.String(required=True, metadata={"example": "S000001"})
    name = fields.String(required=True)
    nip = fields.String(allow_none=True)
    branch = fields.String(required=True)
    position = fields.String(required=True)
    active = fields.Boolean(required=True)
    positions = fields.List(fields.Nested(PositionChange))
    version = fields.Integer()


class StaffEvent(Schema):
    """A member of staff as events tell it: no NIP, no birth date."""

    id = fields.String(required=True, metadata={"example": "S000001"})
    name = fields.String(required=True)
    branch = fields.String(required=True)
    position = fields.String(required=True)
    active = fields.Boolean(required=True)


class StaffQuery(Paged):
    branch = fields.String(validate=_branch)
    position = fields.String(validate=validate.OneOf(POSITIONS))
    active = fields.Boolean()


StaffPage = page_of(StaffOutput)


# -- competency framework --------------------------------------------------------------
class CompetencyOutput(Schema):
    code = fields.String(required=True, metadata={"example": "TI-SLIMS"})
    area = fields.String(required=True)
    name_id = fields.String(required=True)
    name_en = fields.String(required=True)
    levels = fields.Integer(required=True, metadata={"description": "top of the scale, from 1"})
    proficient = fields.Integer(
        required=True, metadata={"description": "the level counted proficient"}
    )


class AreaOutput(Schema):
    code = fields.String(required=True)
    name_id = fields.String(required=True)
    name_en = fields.String(required=True)
    competencies = fields.List(fields.Nested(CompetencyOutput))


class Framework(Schema):
    areas = fields.List(fields.Nested(AreaOutput))


class CompetencyRow(Input):
    """One row of an imported framework (a CSV line or a JSON object): a competency,
    and its area (new areas need their names)."""

    area = fields.String(required=True, validate=_competency)
    area_name_id = fields.String(validate=_name)
    area_name_en = fields.String(validate=_name)
    code = fields.String(required=True, validate=_competency)
    name_id = fields.String(required=True, validate=_name)
    name_en = fields.String(required=True, validate=_name)
    levels = fields.Integer(load_default=4, validate=validate.Range(min=1, max=9))
    proficient = fields.Integer(load_default=3, validate=validate.Range(min=1, max=9))

    @validates_schema
    def proficient_within_scale(self, data, **_):
        if data.get("proficient", 3) > data.get("levels", 4):
            raise ValidationError("Must not be above levels.", field_name="proficient")


class ImportReport(Schema):
    areas_added = fields.Integer()
    added = fields.Integer()
    updated = fields.Integer()


class RequirementInput(Input):
    competency = fields.String(required=True, validate=_competency)
    level = fields.Integer(
        required=True,
        validate=validate.Range(min=0, max=9),
        metadata={"description": "0: not required"},
    )


class Requirement(Schema):
    competency = fields.String()
    level = fields.Integer()


class PositionRequirements(Schema):
    position = fields.String()
    requirements = fields.List(fields.Nested(Requirement))


class RequirementChanged(Schema):
    """A position's required level of a competency, set or (level 0) removed: what
    insight counts staff at their position's required levels by. Nobody named."""

    position = fields.String(required=True)
    competency = fields.String(required=True)
    level = fields.Integer(required=True, metadata={"description": "0: no longer required"})


class RequirementQuery(Paged):
    pass


RequirementPage = page_of(RequirementChanged)  # every position's, by position and competency


# -- programmes ----------------------------------------------------------------------
class CompetencyBuilt(Input):
    competency = fields.String(required=True, validate=_competency)
    level = fields.Integer(required=True, validate=validate.Range(min=1, max=9))


class Trainer(Input):
    """Who leads it: a member of staff, or someone from outside, by name."""

    staff_id = fields.String(allow_none=True)
    name = fields.String(allow_none=True, validate=_name)

    @validates_schema
    def one_of_them(self, data, **_):
        if bool(data.get("staff_id")) == bool(data.get("name")):
            raise ValidationError("Give staff_id or name, one of them.", field_name="_schema")


class Venue(Input):
    kind = fields.String(required=True, validate=validate.OneOf(("room", "online")))
    branch = fields.String(allow_none=True, validate=_branch)
    room = fields.String(allow_none=True, validate=validate.Length(min=1, max=100))
    url = fields.Url(allow_none=True, schemes={"http", "https"})

    @validates_schema
    def what_the_kind_needs(self, data, **_):
        if data.get("kind") == "room" and not (data.get("branch") and data.get("room")):
            raise ValidationError("A room needs its branch and room.", field_name="room")
        if data.get("kind") == "online" and not data.get("url"):
            raise ValidationError("An online session needs its url.", field_name="url")


class SessionInput(Input):
    date = fields.Date(required=True)
    start = fields.String(required=True, validate=_time, metadata={"example": "08:00"})
    end = fields.String(required=True, validate=_time, metadata={"example": "12:00"})
    venue = fields.Nested(Venue, required=True)

    @validates_schema
    def ends_after_it_starts(self, data, **_):
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            raise ValidationError("Must be after start.", field_name="end")


class ProgrammeInput(Input):
    """A development programme, whole (create, and replace while it is a draft)."""

    kind = fields.String(required=True, validate=validate.OneOf(PROGRAMME_KINDS))
    topic = fields.String(required=True, validate=validate.Length(min=1, max=300))
    description = fields.String(allow_none=True, validate=validate.Length(max=5000))
    competencies = fields.List(fields.Nested(CompetencyBuilt), load_default=list)
    hours = fields.Integer(
        required=True,
        validate=validate.Range(min=1, max=500),
        metadata={"description": "learning hours (JP, jam pelajaran)"},
    )
    trainer = fields.Nested(Trainer, required=True)
    capacity = fields.Integer(required=True, validate=validate.Range(min=1, max=1000))
    completion_percent = fields.Integer(
        load_default=80,
        validate=validate.Range(min=1, max=100),
        metadata={"description": "share of sessions to attend to complete it"},
    )
    sessions = fields.List(fields.Nested(SessionInput), load_default=list)


class SessionOutput(SessionInput):
    number = fields.Integer()


class Evaluation(Schema):
    responses = fields.Integer()
    average = fields.Float(allow_none=True)
    summary = fields.String(allow_none=True)
    campaign_id = fields.String()


class ProgrammeOutput(Schema):
    id = fields.String(required=True, metadata={"example": "PRG000001"})
    kind = fields.String(required=True)
    topic = fields.String(required=True)
    description = fields.String(allow_none=True)
    competencies = fields.List(fields.Nested(CompetencyBuilt))
    hours = fields.Integer(required=True)
    trainer = fields.Nested(Trainer)
    capacity = fields.Integer(required=True)
    completion_percent = fields.Integer()
    sessions = fields.List(fields.Nested(SessionOutput))
    status = fields.String(required=True)
    enrolled = fields.Integer(metadata={"description": "places taken (completed ones too)"})
    waitlisted = fields.Integer()
    evaluation = fields.Nested(Evaluation, allow_none=True)
    version = fields.Integer()


class ProgrammeQuery(Paged):
    status = fields.String(validate=validate.OneOf(PROGRAMME_STATUSES))
    kind = fields.String(validate=validate.OneOf(PROGRAMME_KINDS))
    competency = fields.String(validate=_competency)


ProgrammePage = page_of(ProgrammeOutput)


class Transition(Input):
    to = fields.String(required=True, validate=validate.OneOf(PROGRAMME_STATUSES[1:]))


class EnrolmentInput(Input):
    staff_id = fields.String(required=True, metadata={"example": "S000001"})


class EnrolmentOutput(Schema):
    programme_id = fields.String(required=True)
    staff_id = fields.String(required=True)
    name = fields.String()
    branch = fields.String(required=True)
    status = fields.String(required=True)
    waitlist_position = fields.Integer(allow_none=True)
    attended = fields.Integer()
    certificate = fields.String(allow_none=True)


class EnrolmentList(Schema):
    items = fields.List(fields.Nested(EnrolmentOutput))


class AttendanceMark(Input):
    staff_id = fields.String(required=True)
    present = fields.Boolean(required=True)


class AttendanceInput(Input):
    session = fields.Integer(required=True, validate=validate.Range(min=1, max=1000))
    marks = fields.List(fields.Nested(AttendanceMark), required=True, validate=validate.Length(1))


class AttendanceResult(Schema):
    programme_id = fields.String()
    session = fields.Integer()
    recorded = fields.Integer()


# -- certificates ----------------------------------------------------------------------
class CertificateOutput(Schema):
    code = fields.String(required=True, metadata={"example": "K7QFM2XH9P"})
    staff_id = fields.String(required=True)
    holder = fields.String(required=True)
    programme_id = fields.String(required=True)
    topic = fields.String(required=True)
    kind = fields.String(required=True)
    first_day = fields.Date(required=True)
    last_day = fields.Date(required=True)
    hours = fields.Integer(required=True)
    issued_on = fields.Date(required=True)
    valid = fields.Boolean(required=True)
    revoked_at = fields.DateTime(allow_none=True, format="iso")
    revoked_reason = fields.String(allow_none=True)


class Verification(Schema):
    """What anyone holding the code may read: the holder's name, never more of them."""

    code = fields.String(required=True)
    valid = fields.Boolean(required=True)
    holder = fields.String(required=True)
    topic = fields.String(required=True)
    kind = fields.String(required=True)
    first_day = fields.Date(required=True)
    last_day = fields.Date(required=True)
    hours = fields.Integer(required=True)
    issued_on = fields.Date(required=True)
    revoked_at = fields.DateTime(allow_none=True, format="iso")
    revoked_reason = fields.String(allow_none=True)


class RevokeInput(Input):
    reason = fields.String(required=True, validate=validate.Length(min=3, max=500))


class CertificatePdf(Schema):
    filename = fields.String()
    pdf_base64 = fields.String()


# -- development records, credit points and gaps -------------------------------------------
RATINGS = ("sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")


class RatingInput(Input):
    """A year's performance rating (predikat kinerja) of a member of staff, and the
    months of it they held their position (a part of a year earns its part)."""

    rating = fields.String(required=True, validate=validate.OneOf(RATINGS))
    months = fields.Integer(load_default=12, validate=validate.Range(min=1, max=12))


class RecordQuery(Input):
    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    branch = fields.String(validate=_branch)


class ProgrammeDone(Schema):
    programme_id = fields.String()
    topic = fields.String()
    kind = fields.String()
    hours = fields.Integer()
    completed_on = fields.Date()
    certificate = fields.String(allow_none=True)
    certificate_valid = fields.Boolean()


class CompetencyShown(Schema):
    competency = fields.String()
    level = fields.Integer(metadata={"description": "the highest level shown"})
    proficient = fields.Boolean()
    evidence = fields.List(fields.String(), metadata={"description": "programme ids"})


class DevelopmentRecord(Schema):
    staff_id = fields.String(required=True)
    name = fields.String(required=True)
    branch = fields.String(required=True)
    position = fields.String(required=True, metadata={"description": "held at the year's end"})
    year = fields.Integer(required=True)
    hours = fields.Integer(required=True, metadata={"description": "JP of completed programmes"})
    programmes = fields.List(fields.Nested(ProgrammeDone))
    competencies = fields.List(fields.Nested(CompetencyShown))
    rating = fields.String(allow_none=True)
    months = fields.Integer(allow_none=True)
    credit = fields.Float(
        allow_none=True,
        metadata={
            "description": "angka kredit of the year; none without a rating or off the ladder"
        },
    )


class RecordList(Schema):
    items = fields.List(fields.Nested(DevelopmentRecord))


class ShortOf(Schema):
    competency = fields.String()
    required = fields.Integer()
    attained = fields.Integer()


class Gap(ShortOf):
    closing = fields.List(
        fields.String(), metadata={"description": "scheduled programmes that would close it"}
    )


class StaffGaps(Schema):
    staff_id = fields.String()
    name = fields.String()
    branch = fields.String()
    position = fields.String()
    gaps = fields.List(fields.Nested(Gap))


class BranchGap(Schema):
    competency = fields.String()
    staff = fields.List(fields.String(), metadata={"description": "staff short of it"})
    closing = fields.List(fields.String())


class BranchStaffGaps(Schema):
    """A person in a branch's report: what they are short of (what would close each
    gap is said once per competency, in the report's `competencies`)."""

    staff_id = fields.String()
    name = fields.String()
    position = fields.String()
    gaps = fields.List(fields.Nested(ShortOf))


class BranchGaps(Schema):
    branch = fields.String()
    competencies = fields.List(fields.Nested(BranchGap))
    staff = fields.List(fields.Nested(BranchStaffGaps))


# -- events ----------------------------------------------------------------------------
class ProgrammeEvent(Schema):
    id = fields.String(required=True)
    kind = fields.String(required=True)
    topic = fields.String(required=True)
    hours = fields.Integer(required=True)
    capacity = fields.Integer(required=True)
    competencies = fields.List(fields.Nested(CompetencyBuilt))
    first_day = fields.Date(allow_none=True)
    last_day = fields.Date(allow_none=True)
    status = fields.String(required=True)


class EnrolmentEvent(Schema):
    programme_id = fields.String(required=True)
    staff_id = fields.String(required=True)
    branch = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "enrolled or waitlisted"})


class AttendanceEvent(Schema):
    programme_id = fields.String(required=True)
    session = fields.Integer(required=True)
    staff_id = fields.String(required=True)
    present = fields.Boolean(required=True)


class CompetencyAttained(Schema):
    staff_id = fields.String(required=True)
    competency = fields.String(required=True)
    level = fields.Integer(required=True)
    programme_id = fields.String(required=True)
    attained_on = fields.Date(required=True)


class TrainingCompleted(Schema):
    """A participant completed a programme: feedback opens its evaluation."""

    programme_id = fields.String(required=True)
    staff_id = fields.String(required=True)
    branch = fields.String(required=True)
    topic = fields.String(required=True)
    kind = fields.String(required=True)
    hours = fields.Integer(required=True)
    completed_on = fields.Date(required=True)


class CertificateEvent(Schema):
    code = fields.String(required=True)
    staff_id = fields.String(required=True)
    programme_id = fields.String(required=True)
    revoked_at = fields.DateTime(allow_none=True, format="iso")
    reason = fields.String(allow_none=True)


# -- what people reads of others ---------------------------------------------------------
class BranchSeen(Schema):
    """What people reads of the catalogue's branch_updated: the branch codes staff
    and venues may name."""

    code = fields.String(required=True, validate=_branch)
    name = fields.String(required=True)


class EvaluationSummarized(Schema):
    """What people reads of feedback's evaluation_summarized: a programme's result,
    kept beside it. Evaluations of other subjects are not ours."""

    campaign_id = fields.String(required=True, validate=validate.Length(min=1, max=50))
    subject_type = fields.String(required=True)
    subject_id = fields.String(required=True)
    responses = fields.Integer(required=True)
    average = fields.Float(allow_none=True)
    summary = fields.String(allow_none=True)


STAFF = ("staff_id",)
PROGRAMME = ("programme_id",)
ROW_ERRORS = (Forbidden, NotFound)

# Lists insight reads a page at a time to rebuild its read models (services/insight).
BACKFILLED = ("gateway", "insight")

CONTRACT = Contract(
    service="people",
    methods=(
        Method(
            "register_staff",
            ("payload",),
            StaffInput,
            StaffOutput,
            (Forbidden, Conflict),
            writes=True,
        ),
        Method(
            "change_staff",
            ("staff_id", "payload"),
            StaffChange,
            StaffOutput,
            (Forbidden, NotFound, Conflict),
            writes=True,
        ),
        Method("get_staff", STAFF, None, StaffOutput, ROW_ERRORS),
        Method("list_staff", ("params",), StaffQuery, StaffPage, (Forbidden,), callers=BACKFILLED),
        Method("get_framework", (), None, Framework),
        Method(
            "import_competencies",
            ("text", "format"),
            None,
            ImportReport,
            (Forbidden,),
            writes=True,
            deadline=60.0,
        ),
        Method("get_requirements", ("position",), None, PositionRequirements, (NotFound,)),
        Method(
            "list_requirements",
            ("params",),
            RequirementQuery,
            RequirementPage,
            callers=("insight",),
        ),
        Method(
            "put_requirement",
            ("position", "payload"),
            RequirementInput,
            PositionRequirements,
            (Forbidden, NotFound),
            writes=True,
        ),
        Method(
            "create_programme",
            ("payload",),
            ProgrammeInput,
            ProgrammeOutput,
            (Forbidden,),
            writes=True,
        ),
        Method(
            "replace_programme",
            ("programme_id", "payload"),
            ProgrammeInput,
            ProgrammeOutput,
            (Forbidden, NotFound, Conflict),
            writes=True,
        ),
        Method(
            "transition_programme",
            ("programme_id", "payload"),
            Transition,
            ProgrammeOutput,
            (Forbidden, NotFound, Conflict),
            writes=True,
            deadline=30.0,
        ),
        Method("get_programme", PROGRAMME, None, ProgrammeOutput, (NotFound,)),
        Method("list_programmes", ("params",), ProgrammeQuery, ProgrammePage),
        Method(
            "enrol",
            ("programme_id", "payload"),
            EnrolmentInput,
            EnrolmentOutput,
            (Forbidden, NotFound, Conflict),
            writes=True,
        ),
        Method(
            "withdraw",
            ("programme_id", "staff_id"),
            None,
            EnrolmentOutput,
            (Forbidden, NotFound, Conflict),
            writes=True,
        ),
        Method("list_enrolments", PROGRAMME, None, EnrolmentList, ROW_ERRORS),
        Method(
            "record_attendance",
            ("programme_id", "payload"),
            AttendanceInput,
            AttendanceResult,
            (Forbidden, NotFound, Conflict),
            writes=True,
        ),
        Method("get_certificate", ("code",), None, CertificateOutput, ROW_ERRORS),
        Method("certificate_pdf", ("code",), None, CertificatePdf, ROW_ERRORS, deadline=30.0),
        Method(
            "revoke_certificate",
            ("code", "payload"),
            RevokeInput,
            CertificateOutput,
            (Forbidden, NotFound, Conflict),
            writes=True,
        ),
        Method("verify_certificate", ("code",), None, Verification, (NotFound,)),
        Method(
            "rate_staff",
            ("staff_id", "year", "payload"),
            RatingInput,
            DevelopmentRecord,
            (Forbidden, NotFound),
            writes=True,
        ),
        Method("development_record", ("staff_id", "year"), None, DevelopmentRecord, ROW_ERRORS),
        Method(
            "development_records", ("params",), RecordQuery, RecordList, (Forbidden,), deadline=30.0
        ),
        Method("staff_gaps", STAFF, None, StaffGaps, ROW_ERRORS),
        Method("branch_gaps", ("branch",), None, BranchGaps, ROW_ERRORS),
        Method("health"),
    ),
    events=(
        Event("staff_registered", StaffEvent),
        Event("staff_changed", StaffEvent),
        Event("programme_scheduled", ProgrammeEvent),
        Event("staff_enrolled", EnrolmentEvent),
        Event("waitlist_promoted", EnrolmentEvent),
        Event("attendance_recorded", AttendanceEvent),
        Event("competency_attained", CompetencyAttained),
        Event("requirement_changed", RequirementChanged),
        Event("training_completed", TrainingCompleted),
        Event("certificate_issued", CertificateEvent),
        Event("certificate_revoked", CertificateEvent),
    ),
    consumes=(
        Consumes("catalog", "branch_updated", BranchSeen, versions=(1,)),
        Consumes("feedback", "evaluation_summarized", EvaluationSummarized, versions=(1,)),
    ),
)
