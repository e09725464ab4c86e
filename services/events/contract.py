"""Community programmes' public contract: its RPC methods with what they take and
give and the errors they may answer, the events it publishes (each with its schema
and major version), and the events of others it reads. This module is all that the
gateway and other services may import of events.

Feedback reads two of its events: it opens a post-event survey on event_completed
and marks a community idea fulfilled when programme_published carries its
suggestion_id.

No event carries a participant's name or contact: events go to every subscriber.
Only the RPC answers to the programme's branch and headquarters hold them.
"""

from __future__ import annotations

import datetime as dt
import re

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from chassis.branches import branch_code
from chassis.contacts import Contact
from chassis.contract import Consumes, Contract, Event, Method
from chassis.errors import Conflict, Forbidden, NotFound
from chassis.ids import PublicId
from chassis.schemas import Input, Integer, page_of, paged_query

# Public ids: programmes (EVT000001), their occurrences (OCC0000001), partner
# institutions (PTN0001) and registrations (REG0000001). A registration is shown at
# the door by its check-in code, printed beside its QR code.
PROGRAMME_ID = PublicId("EVT", 6)
OCCURRENCE_ID = PublicId("OCC", 7)
PARTNER_ID = PublicId("PTN", 4)
REGISTRATION_ID = PublicId("REG", 7)
# Eight characters of an alphabet without look-alikes (no 0/O, 1/I/L): read aloud
# at the door or typed on a phone.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CHECKIN_CODE = re.compile(r"[2-9A-HJKMNP-Z]{8}\Z")

PROGRAMME_TYPES = (
    "book_discussion",
    "creative_class",
    "information_literacy",
    "seminar",
    "storytime",
    "exhibition",
    "other",
)
AUDIENCES = ("children", "teens", "adults", "seniors", "all_ages")
AGE_GROUPS = ("child", "teen", "adult", "senior")
PROGRAMME_STATUSES = ("draft", "published", "cancelled", "completed")
OCCURRENCE_STATUSES = ("scheduled", "cancelled", "completed")
REGISTRATION_STATUSES = ("confirmed", "waitlisted", "cancelled", "walk_in")
PARTNER_KINDS = ("school", "university", "community", "government", "business")
PARTNER_STATUSES = ("active", "suspended", "ended")
LIMIT_DEFAULT = 50
LIMIT_MAX = 200
Paged = paged_query(default=LIMIT_DEFAULT, ceiling=LIMIT_MAX)  # its lists' base query
MAX_OCCURRENCES = 60  # a series longer than this is a mistake, or two programmes

_branch = branch_code
_name = validate.Length(min=1, max=200)
_text = validate.Length(max=5000)
# Times a calendar can hold: refused outside, before any date arithmetic overflows.
_when = validate.Range(
    min=dt.datetime(2000, 1, 1), max=dt.datetime(2100, 1, 1), error="Between 2000 and 2100."
)
_day = validate.Range(
    min=dt.date(2000, 1, 1), max=dt.date(2100, 1, 1), error="Between 2000 and 2100."
)


# -- partners ----------------------------------------------------------------------------
class PartnerInput(Input):
    """An institution the library runs programmes with, and its agreement (MoU)."""

    name = fields.String(required=True, validate=_name)
    kind = fields.String(required=True, validate=validate.OneOf(PARTNER_KINDS))
    contact_name = fields.String(allow_none=True, validate=_name)
    contact_email = fields.Email(allow_none=True)
    contact_phone = fields.String(allow_none=True, validate=validate.Length(max=30))
    agreement_from = fields.Date(
        required=True, validate=_day, metadata={"description": "MoU signed from"}
    )
    agreement_until = fields.Date(
        required=True, validate=_day, metadata={"description": "MoU valid until"}
    )
    status = fields.String(load_default="active", validate=validate.OneOf(PARTNER_STATUSES))

    @validates_schema
    def period(self, data, **_):
        begins, ends = data.get("agreement_from"), data.get("agreement_until")
        if begins and ends and ends < begins:
            raise ValidationError("Must not be before agreement_from.", "agreement_until")


class PartnerOutput(Schema):
    id = fields.String(required=True, metadata={"example": "PTN0001"})
    name = fields.String(required=True)
    kind = fields.String(required=True)
    contact_name = fields.String(allow_none=True)
    contact_email = fields.String(allow_none=True)
    contact_phone = fields.String(allow_none=True)
    agreement_from = fields.Date(required=True)
    agreement_until = fields.Date(required=True)
    status = fields.String(required=True)
    may_cohost = fields.Boolean(
        required=True, metadata={"description": "active, and its agreement runs today"}
    )


class PartnerList(Schema):
    items = fields.List(fields.Nested(PartnerOutput), required=True)


# -- programmes --------------------------------------------------------------------------
class Presenter(Input):
    """Who leads it: a member of staff (known from the people service's events), or
    someone from outside, by name."""

    staff_id = fields.String(allow_none=True, metadata={"example": "S000001"})
    name = fields.String(allow_none=True, validate=_name)

    @validates_schema
    def one_of_them(self, data, **_):
        if bool(data.get("staff_id")) == bool(data.get("name")):
            raise ValidationError("Give staff_id or name, one of them.", field_name="_schema")


class CoHost(Input):
    partner_id = fields.String(required=True, metadata={"example": "PTN0001"})
    seats = Integer(
        required=True,
        validate=validate.Range(min=0, max=1000),
        metadata={"description": "seats kept for the partner's people"},
    )


class CoHosting(Schema):
    """A partner joining a programme as co-host: a partner's key for itself (its
    own id may be left out), a branch's key for any partner."""

    partner_id = fields.String(metadata={"example": "PTN0001"})
    seats = Integer(
        required=True,
        validate=validate.Range(min=0, max=1000),
        metadata={"description": "seats kept for the partner's people, from the general pool"},
    )


class Schedule(Input):
    """When: the first start (local time at the branch, Asia/Jakarta), how long, and
    for a series its RFC 5545 RRULE (with COUNT or UNTIL)."""

    starts_at = fields.NaiveDateTime(
        required=True,
        validate=_when,
        metadata={"example": "2026-03-07T09:00:00", "description": "WIB"},
    )
    duration_minutes = Integer(required=True, validate=validate.Range(min=10, max=1440))
    rrule = fields.String(
        allow_none=True,
        validate=validate.Length(max=500),
        metadata={
            "example": "FREQ=WEEKLY;BYDAY=SA;COUNT=6",
            "description": "UNTIL in UTC (20260328T020000Z), the branch's time or a date",
        },
    )


class CommunityProgrammeInput(Input):
    """A programme, whole (create, and replace while it is a draft)."""

    programme_type = fields.String(required=True, validate=validate.OneOf(PROGRAMME_TYPES))
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    description = fields.String(allow_none=True, validate=_text)
    audience = fields.String(required=True, validate=validate.OneOf(AUDIENCES))
    branch = fields.String(required=True, validate=_branch, metadata={"example": "SPN"})
    room = fields.String(allow_none=True, validate=validate.Length(max=100))
    capacity = Integer(required=True, validate=validate.Range(min=1, max=5000))
    registration_opens = fields.NaiveDateTime(
        allow_none=True, validate=_when, metadata={"description": "WIB"}
    )
    registration_closes = fields.NaiveDateTime(
        allow_none=True, validate=_when, metadata={"description": "WIB"}
    )
    presenter = fields.Nested(Presenter, allow_none=True)
    host_partner_id = fields.String(allow_none=True)
    host_seats = Integer(
        load_default=0,
        validate=validate.Range(min=0, max=1000),
        metadata={"description": "seats kept for the host partner's people"},
    )
    partners = fields.List(fields.Nested(CoHost), load_default=list)
    quota_release_hours = Integer(
        load_default=24,
        validate=validate.Range(min=0, max=720),
        metadata={"description": "partners' unused seats go to everyone this long before"},
    )
    schedule = fields.Nested(Schedule, allow_none=True)


class OccurrenceOutput(Schema):
    id = fields.String(required=True, metadata={"example": "OCC0000001"})
    programme_id = fields.String(required=True)
    title = fields.String()
    programme_type = fields.String()
    audience = fields.String()
    branch = fields.String()
    room = fields.String(allow_none=True)
    starts_at = fields.String(required=True, metadata={"description": "ISO 8601, +07:00"})
    ends_at = fields.String(required=True)
    status = fields.String(
        required=True,
        metadata={
            "description": "scheduled (until it is completed or cancelled, also while it "
            "runs), cancelled or completed; whether it takes registrations is "
            "registration_open",
        },
    )
    capacity = fields.Integer()
    confirmed = fields.Integer()
    waitlisted = fields.Integer()
    seats_left = fields.Integer()
    sequence = fields.Integer(metadata={"description": "iCalendar SEQUENCE: changes made"})
    registration_open = fields.Boolean(
        metadata={
            "description": "a registration would be taken now (confirmed or waitlisted): "
            "its programme published, it scheduled and not yet started, within the "
            "programme's registration window"
        }
    )


class CommunityProgramme(Schema):
    id = fields.String(required=True, metadata={"example": "EVT000001"})
    programme_type = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(allow_none=True)
    audience = fields.String(required=True)
    branch = fields.String(required=True)
    room = fields.String(allow_none=True)
    capacity = fields.Integer(required=True)
    registration_opens = fields.String(allow_none=True)
    registration_closes = fields.String(allow_none=True)
    presenter = fields.Dict(allow_none=True)
    host_partner_id = fields.String(allow_none=True)
    host_seats = fields.Integer(metadata={"description": "seats kept for the host's people"})
    partners = fields.List(fields.Nested(CoHost), metadata={"description": "co-hosts"})
    quota_release_hours = fields.Integer()
    schedule = fields.Dict(allow_none=True)
    status = fields.String(required=True)
    suggestion_id = fields.String(allow_none=True)
    occurrences = fields.List(fields.Nested(OccurrenceOutput))
    version = fields.Integer()


class CommunityProgrammeQuery(Paged):
    status = fields.String(validate=validate.OneOf(PROGRAMME_STATUSES))
    branch = fields.String(validate=_branch)


CommunityProgrammePage = page_of(CommunityProgramme)


class ProgrammeTransition(Input):
    to = fields.String(required=True, validate=validate.OneOf(PROGRAMME_STATUSES[1:]))
    reason = fields.String(allow_none=True, validate=validate.Length(max=500))


class OccurrenceChange(Input):
    """Move one occurrence, or cancel it alone."""

    starts_at = fields.NaiveDateTime(validate=_when, metadata={"description": "new start, WIB"})
    duration_minutes = Integer(validate=validate.Range(min=10, max=1440))
    room = fields.String(allow_none=True, validate=validate.Length(max=100))
    status = fields.String(validate=validate.OneOf(("cancelled",)))
    reason = fields.String(allow_none=True, validate=validate.Length(max=500))


class CalendarQuery(Paged):
    """GET /v1/events: occurrences by date range, branch, audience and type."""

    start = fields.Date(
        validate=_day, metadata={"description": "from this day (WIB), default today"}
    )
    end = fields.Date(validate=_day, metadata={"description": "to this day, inclusive"})
    branch = fields.String(validate=_branch)
    audience = fields.String(validate=validate.OneOf(AUDIENCES))
    programme_type = fields.String(validate=validate.OneOf(PROGRAMME_TYPES))
    include_cancelled = fields.Boolean(load_default=False)

    @validates_schema
    def range_(self, data, **_):
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError("Must not be before start.", field_name="end")


CalendarPage = page_of(OccurrenceOutput, name="CalendarPage")


class Feed(Schema):
    ical = fields.String(required=True, metadata={"description": "text/calendar"})


# -- registrations -----------------------------------------------------------------------
class RegistrationInput(Input):
    """A participant. `scope`: this occurrence, or every one still to come of its series."""

    name = fields.String(required=True, validate=_name)
    contact = Contact(
        required=True,
        metadata={
            "description": "an Indonesian mobile number (WhatsApp, 08... or +628...) or an "
            "e-mail address, kept as +628... or with the domain in lower case",
            "example": "0812-7400-1234",
        },
    )
    age_group = fields.String(allow_none=True, validate=validate.OneOf(AGE_GROUPS))
    scope = fields.String(
        load_default="occurrence",
        validate=validate.OneOf(("occurrence", "series")),
        metadata={"description": "occurrence, or series: each occurrence still to come"},
    )


class RegistrationOutput(Schema):
    id = fields.String(required=True, metadata={"example": "REG0000001"})
    occurrence_id = fields.String(required=True)
    programme_id = fields.String(required=True)
    title = fields.String()
    starts_at = fields.String()
    branch = fields.String()
    status = fields.String(required=True)
    code = fields.String(required=True, metadata={"description": "check-in code"})
    waitlist_position = fields.Integer(allow_none=True)
    partner_id = fields.String(allow_none=True)
    age_group = fields.String(allow_none=True)
    checked_in = fields.Boolean()
    name = fields.String(metadata={"description": "the programme's branch and HQ only"})
    contact = fields.String(metadata={"description": "the programme's branch and HQ only"})


class RegistrationResult(Schema):
    items = fields.List(fields.Nested(RegistrationOutput), required=True)


class RegistrationList(Schema):
    items = fields.List(fields.Nested(RegistrationOutput), required=True)


class WalkIn(Input):
    name = fields.String(allow_none=True, validate=_name)
    age_group = fields.String(allow_none=True, validate=validate.OneOf(AGE_GROUPS))


class CheckInResult(Schema):
    registration = fields.Nested(RegistrationOutput, required=True)
    outcome = fields.String(
        required=True,
        metadata={"description": "checked_in, already_in, waitlisted, cancelled, walk_in"},
    )


class Completion(Schema):
    occurrence_id = fields.String(required=True)
    registered = fields.Integer(required=True)
    attended = fields.Integer(required=True)
    walk_ins = fields.Integer(required=True)
    no_shows = fields.Integer(required=True)


# -- figures -----------------------------------------------------------------------------
class FiguresQuery(Input):
    month = fields.String(
        required=True,
        validate=validate.Regexp(r"\d{4}-(0[1-9]|1[0-2])\Z", error="Use YYYY-MM."),
        metadata={"example": "2026-03"},
    )
    branch = fields.String(validate=_branch)


class BranchProgrammeFigures(Schema):
    branch = fields.String(required=True)
    month = fields.String(required=True)
    programmes_held = fields.Integer(required=True)
    occurrences_held = fields.Integer(required=True)
    registrations = fields.Integer(required=True)
    attendance = fields.Integer(required=True)
    walk_ins = fields.Integer(required=True)
    no_shows = fields.Integer(required=True)
    no_show_rate = fields.Float(allow_none=True)
    waitlisted = fields.Integer(required=True, metadata={"description": "waitlist demand"})
    by_audience = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_partner = fields.Dict(keys=fields.String(), values=fields.Integer())


class Figures(Schema):
    month = fields.String(required=True)
    items = fields.List(fields.Nested(BranchProgrammeFigures), required=True)


# -- events ------------------------------------------------------------------------------
class ProgrammePublished(Schema):
    """A programme opened to the public (its calendar entries and registration)."""

    programme_id = fields.String(required=True, metadata={"example": "EVT000001"})
    title = fields.String(required=True)
    programme_type = fields.String(
        required=True, metadata={"description": "book_discussion, creative_class, ..."}
    )
    audience = fields.String(required=True, metadata={"description": "children, teens, ..."})
    branch = fields.String(required=True)
    starts_at = fields.DateTime(allow_none=True, format="iso", metadata={"description": "first"})
    suggestion_id = fields.String(
        allow_none=True, metadata={"description": "the community suggestion it came from"}
    )
    capacity = fields.Integer()
    partners = fields.List(fields.String(), metadata={"description": "co-hosts"})
    occurrences = fields.Integer()


class ProgrammeChanged(Schema):
    """A published programme, or one occurrence of it, changed (moved, a room, cancelled)."""

    programme_id = fields.String(required=True)
    title = fields.String(required=True)
    branch = fields.String(required=True)
    occurrence_id = fields.String(allow_none=True)
    starts_at = fields.DateTime(allow_none=True, format="iso")
    status = fields.String(
        required=True,
        metadata={"description": "of the occurrence; of the programme when none is named"},
    )
    sequence = fields.Integer()
    partners = fields.List(
        fields.String(),
        metadata={"description": "who hosts and co-hosts it now, when that changed"},
    )


class ProgrammeCancelled(Schema):
    programme_id = fields.String(required=True)
    title = fields.String(required=True)
    branch = fields.String(required=True)
    reason = fields.String(allow_none=True)
    registrations = fields.Integer(metadata={"description": "told, each by an event"})


class RegistrationEvent(Schema):
    """A registration's change, without the participant's name or contact."""

    registration_id = fields.String(required=True)
    occurrence_id = fields.String(required=True)
    programme_id = fields.String(required=True)
    branch = fields.String(required=True)
    starts_at = fields.DateTime(required=True, format="iso")
    status = fields.String(required=True)
    partner_id = fields.String(allow_none=True)
    age_group = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)


class ReminderDue(RegistrationEvent):
    """Time to remind the participant (a notifier looks their contact up by id)."""

    title = fields.String(required=True)


class AttendanceRecorded(Schema):
    registration_id = fields.String(required=True)
    occurrence_id = fields.String(required=True)
    programme_id = fields.String(required=True)
    branch = fields.String(required=True)
    walk_in = fields.Boolean(required=True)
    age_group = fields.String(allow_none=True)
    partner_id = fields.String(allow_none=True)


class EventCompleted(Schema):
    """One occurrence of a programme held and closed, with its attendance."""

    occurrence_id = fields.String(required=True)
    programme_id = fields.String(required=True)
    title = fields.String(required=True)
    programme_type = fields.String(required=True)
    audience = fields.String(required=True)
    branch = fields.String(required=True)
    starts_at = fields.DateTime(required=True, format="iso")
    ends_at = fields.DateTime(required=True, format="iso")
    partners = fields.List(fields.String(), required=True, metadata={"description": "co-hosts"})
    registered = fields.Integer(required=True)
    attended = fields.Integer(required=True, metadata={"description": "walk-ins included"})
    walk_ins = fields.Integer(required=True)
    no_shows = fields.Integer(required=True)
    attendees = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "registration ids of those who checked in"},
    )
    invitable = fields.List(
        fields.String(),
        required=True,
        metadata={
            "description": "the attendees who left a contact, so can be asked for their "
            "feedback (walk-ins leave none)"
        },
    )


# -- branches ---------------------------------------------------------------------------
class BranchOutput(Schema):
    code = fields.String(required=True, metadata={"example": "KMN"})
    name = fields.String(required=True, metadata={"example": "Cabang Kumun Debai"})


class BranchList(Schema):
    """The branches programmes may be held at: the catalogue's, as events keeps them."""

    items = fields.List(fields.Nested(BranchOutput), required=True)


# -- what events reads of others -----------------------------------------------------------
class BranchSeen(Schema):
    """What events reads of the catalogue's branch_updated: the branch codes
    programmes may name."""

    code = fields.String(required=True, validate=_branch)
    name = fields.String(required=True)


class StaffSeen(Schema):
    """What events reads of people's staff_registered / staff_changed: who may present."""

    id = fields.String(required=True)
    name = fields.String(required=True)
    branch = fields.String(required=True)
    active = fields.Boolean(required=True)


class SuggestionApproved(Schema):
    """What events reads of feedback's suggestion_approved: a programme idea (kind
    programme) to draft at its branch; titles to buy (kind collection) are not ours."""

    suggestion_id = fields.String(required=True, validate=validate.Length(min=1, max=50))
    kind = fields.String(load_default="collection")
    title = fields.String(required=True, validate=validate.Length(min=1, max=500))
    branch = fields.String(allow_none=True)
    programme_type = fields.String(allow_none=True)
    audience = fields.String(allow_none=True)


PROGRAMME = ("programme_id",)
OCCURRENCE = ("occurrence_id",)
ROW_ERRORS = (Forbidden, NotFound)
WRITE_ERRORS = (Forbidden, NotFound, Conflict)

CONTRACT = Contract(
    service="events",
    methods=(
        Method(
            "create_partner", ("payload",), PartnerInput, PartnerOutput, (Forbidden,), writes=True
        ),
        Method(
            "change_partner",
            ("partner_id", "payload"),
            PartnerInput,
            PartnerOutput,
            ROW_ERRORS,
            writes=True,
        ),
        Method("get_partner", ("partner_id",), None, PartnerOutput, ROW_ERRORS),
        Method("list_partners", (), None, PartnerList, (Forbidden,)),
        Method(
            "create_programme",
            ("payload",),
            CommunityProgrammeInput,
            CommunityProgramme,
            (Forbidden, Conflict),
            writes=True,
        ),
        Method(
            "replace_programme",
            ("programme_id", "payload"),
            CommunityProgrammeInput,
            CommunityProgramme,
            WRITE_ERRORS,
            writes=True,
        ),
        Method(
            "transition_programme",
            ("programme_id", "payload"),
            ProgrammeTransition,
            CommunityProgramme,
            WRITE_ERRORS,
            writes=True,
            deadline=30.0,
        ),
        Method(
            "cohost_programme",
            ("programme_id", "payload"),
            CoHosting,
            CommunityProgramme,
            WRITE_ERRORS,
            writes=True,
        ),
        Method(
            "stop_cohosting",
            ("programme_id", "partner_id"),
            None,
            CommunityProgramme,
            WRITE_ERRORS,
            writes=True,
        ),
        Method("get_programme", PROGRAMME, None, CommunityProgramme, ROW_ERRORS),
        Method("public_programme", PROGRAMME, None, CommunityProgramme, (NotFound,)),
        Method(
            "list_programmes",
            ("params",),
            CommunityProgrammeQuery,
            CommunityProgrammePage,
            (Forbidden,),
        ),
        Method(
            "change_occurrence",
            ("occurrence_id", "payload"),
            OccurrenceChange,
            OccurrenceOutput,
            WRITE_ERRORS,
            writes=True,
        ),
        Method("calendar", ("params",), CalendarQuery, CalendarPage),
        Method("calendar_feed", ("branch",), None, Feed, (NotFound,)),
        Method("list_branches", (), None, BranchList),
        Method(
            "register",
            ("occurrence_id", "payload"),
            RegistrationInput,
            RegistrationResult,
            WRITE_ERRORS,
            writes=True,
        ),
        Method(
            "cancel_registration",
            ("registration_id",),
            None,
            RegistrationOutput,
            WRITE_ERRORS,
            writes=True,
        ),
        Method("get_registration", ("registration_id",), None, RegistrationOutput, ROW_ERRORS),
        Method("list_registrations", OCCURRENCE, None, RegistrationList, ROW_ERRORS),
        Method("public_registration", ("code",), None, RegistrationOutput, (NotFound,)),
        Method("lookup_code", ("code",), None, RegistrationOutput, ROW_ERRORS),
        Method("check_in", ("code",), None, CheckInResult, WRITE_ERRORS, writes=True),
        Method(
            "walk_in",
            ("occurrence_id", "payload"),
            WalkIn,
            CheckInResult,
            WRITE_ERRORS,
            writes=True,
        ),
        Method("complete_occurrence", OCCURRENCE, None, Completion, WRITE_ERRORS, writes=True),
        Method("figures", ("params",), FiguresQuery, Figures, (Forbidden,), deadline=30.0),
        Method("health"),
    ),
    events=(
        Event("programme_published", ProgrammePublished),
        Event("programme_changed", ProgrammeChanged),
        Event("programme_cancelled", ProgrammeCancelled),
        Event("registration_confirmed", RegistrationEvent),
        Event("registration_waitlisted", RegistrationEvent),
        Event("waitlist_promoted", RegistrationEvent),
        Event("registration_cancelled", RegistrationEvent),
        Event("reminder_due", ReminderDue),
        Event("attendance_recorded", AttendanceRecorded),
        Event("event_completed", EventCompleted),
    ),
    consumes=(
        Consumes("catalog", "branch_updated", BranchSeen, versions=(1,)),
        Consumes("people", "staff_registered", StaffSeen, versions=(1,)),
        Consumes("people", "staff_changed", StaffSeen, versions=(1,)),
        Consumes("feedback", "suggestion_approved", SuggestionApproved, versions=(1,)),
    ),
)
