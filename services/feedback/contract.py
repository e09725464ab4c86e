"""Feedback's public contract: survey templates and campaigns, responses and their
results, visitors' tickets and the community's suggestions: its RPC methods with
what they take and give and the errors they may answer, the events it publishes
(each with its schema and major version), and the events of others it reads. This
module is all that the gateway and other services may import of feedback.

No event carries a respondent's token, a visitor's or a supporter's contact or a
member's card number: events go to every subscriber. An anonymous response is
stored with no token, key, address or time finer than its day, and no event names it.
"""

from __future__ import annotations

import re

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from chassis.branches import branch_code
from chassis.contacts import Contact
from chassis.contract import Consumes, Contract, Event, Method
from chassis.errors import Conflict, Forbidden, Gone, NotFound
from chassis.ids import PublicId
from chassis.schemas import Input, page_of, paged_query

# Public ids: campaigns (CMP000001), tickets (TKT000001), suggestions (SUG000001).
CAMPAIGN_ID = PublicId("CMP", 6)
TICKET_ID = PublicId("TKT", 6)
SUGGESTION_ID = PublicId("SUG", 6)
# A respondent's one-time token and a campaign's public link: 22 URL-safe characters.
TOKEN = re.compile(r"[A-Za-z0-9_-]{22}\Z")
TEMPLATE_CODE = re.compile(r"[a-z][a-z0-9_]{1,39}\Z")

QUESTION_TYPES = ("likert", "rating", "nps", "libqual", "skm", "single", "multiple", "text")
# The scale of each numeric type: Likert 1-5, rating 1-9, Net Promoter 0-10, each
# LibQUAL+ part (minimum, desired, perceived) 1-9, and the public-service
# satisfaction survey's (SKM) 1-4 of Permenpan RB No. 14 Tahun 2017.
SCALES = {"likert": (1, 5), "rating": (1, 9), "nps": (0, 10), "libqual": (1, 9), "skm": (1, 4)}
LIBQUAL_PARTS = ("minimum", "desired", "perceived")
LIBQUAL_DIMENSIONS = ("affect_of_service", "information_control", "library_as_place")
SUBJECT_TYPES = ("programme", "event", "branch")
CAMPAIGN_STATUSES = ("open", "closed")
TICKET_CATEGORIES = ("collection", "service", "facility", "programme", "other")
TICKET_STATUSES = ("received", "in_progress", "resolved", "rejected")
SUGGESTION_KINDS = ("collection", "programme")
# What each kind of suggestion needs besides the card (SuggestionInput checks it).
SUGGESTION_NEEDS = {
    "collection": ("title",),
    "programme": ("topic", "programme_type", "audience", "branch"),
}
SUGGESTION_STATUSES = ("submitted", "approved", "rejected", "fulfilled")
# A suggestion's way to the shelf, as people follow it: submitted (open for votes),
# approved, ordered (a title the catalogue has on order), fulfilled (catalogued, or
# the programme published), or rejected (with the reason).
SUGGESTION_STAGES = ("submitted", "approved", "ordered", "fulfilled", "rejected")
PROGRAMME_TYPES = (
    "book_discussion", "creative_class", "literacy_workshop", "seminar", "storytime", "other",
)  # fmt: skip
AUDIENCES = ("children", "teens", "adults", "seniors", "families", "general")
LIMIT_DEFAULT = 50
LIMIT_MAX = 200
Paged = paged_query(default=LIMIT_DEFAULT, ceiling=LIMIT_MAX)  # its lists' base query

_branch = branch_code
_text = validate.Length(min=1, max=500)


# -- templates ------------------------------------------------------------------------
class Option(Input):
    value = fields.String(required=True, validate=validate.Length(min=1, max=40))
    text_id = fields.String(required=True, validate=_text)
    text_en = fields.String(required=True, validate=_text)


class Question(Input):
    """One question: its id within the template, its type, whether it must be
    answered, its text in Indonesian and English; a LibQUAL+ item names its
    dimension, an SKM item its element; choices list their options."""

    id = fields.String(
        required=True,
        validate=validate.Regexp(
            r"[a-z][a-z0-9_]{0,39}\Z", error="Use a-z, 0-9 and _, a letter first."
        ),
    )
    type = fields.String(required=True, validate=validate.OneOf(QUESTION_TYPES))
    required = fields.Boolean(load_default=True)
    text_id = fields.String(required=True, validate=_text)
    text_en = fields.String(required=True, validate=_text)
    dimension = fields.String(allow_none=True, validate=validate.Length(max=40))
    options = fields.List(fields.Nested(Option), load_default=list)


class TemplateInput(Input):
    """A template, whole: a new code, or the next version of an existing one (a
    published version never changes)."""

    code = fields.String(
        required=True,
        validate=validate.Regexp(TEMPLATE_CODE, error="Use 2-40 of a-z, 0-9, _ (a letter first)."),
    )
    name_id = fields.String(required=True, validate=_text)
    name_en = fields.String(required=True, validate=_text)
    questions = fields.List(
        fields.Nested(Question), required=True, validate=validate.Length(min=1, max=100)
    )


class TemplateOutput(TemplateInput):
    version = fields.Integer(required=True)
    built_in = fields.Boolean()


class TemplateList(Schema):
    items = fields.List(fields.Nested(TemplateOutput))


# -- campaigns ------------------------------------------------------------------------
class CampaignInput(Input):
    """A template applied to a subject for a while. A branch key opens campaigns
    about its own branch."""

    template = fields.String(required=True)
    version = fields.Integer(allow_none=True, metadata={"description": "latest if absent"})
    subject_type = fields.String(required=True, validate=validate.OneOf(SUBJECT_TYPES))
    subject_id = fields.String(required=True, validate=validate.Length(min=1, max=50))
    title = fields.String(required=True, validate=_text)
    branch = fields.String(allow_none=True, validate=_branch)
    partners = fields.List(fields.String(validate=validate.Length(min=1, max=20)))
    opens_on = fields.Date(allow_none=True, metadata={"description": "today if absent"})
    closes_on = fields.Date(required=True)
    public = fields.Boolean(load_default=True, metadata={"description": "a public link"})


class CampaignOutput(Schema):
    id = fields.String(required=True, metadata={"example": "CMP000001"})
    template = fields.String(required=True)
    version = fields.Integer(required=True)
    subject_type = fields.String(required=True)
    subject_id = fields.String(required=True)
    title = fields.String(required=True)
    branch = fields.String(allow_none=True)
    partners = fields.List(fields.String())
    opens_on = fields.Date(required=True)
    closes_on = fields.Date(required=True)
    status = fields.String(required=True)
    invited = fields.Integer()
    responses = fields.Integer()
    public_link = fields.String(
        allow_none=True, metadata={"description": "path of the public form: /s/{code}"}
    )
    # Added within v1 (additive): what a rebuild of insight's read model reads.
    result = fields.Nested(
        lambda: EvaluationSummarized(),
        allow_none=True,
        metadata={"description": "a closed campaign's: evaluation_summarized's data"},
    )


class CampaignQuery(Paged):
    branch = fields.String(validate=_branch)
    status = fields.String(validate=validate.OneOf(CAMPAIGN_STATUSES))
    template = fields.String()


CampaignPage = page_of(CampaignOutput)


class InvitationsInput(Input):
    respondents = fields.List(
        fields.String(validate=validate.Length(min=1, max=50)),
        required=True,
        validate=validate.Length(min=1, max=5000),
        metadata={"description": "who is invited: staff or registration ids"},
    )


class InvitationOutput(Schema):
    respondent = fields.String()
    link = fields.String(metadata={"description": "the one-time link: /s/{token}"})
    used = fields.Boolean()


class InvitationList(Schema):
    campaign_id = fields.String()
    items = fields.List(fields.Nested(InvitationOutput))


# -- the survey form and responses -----------------------------------------------------
class SurveyForm(Schema):
    """What a respondent's link opens: the campaign and its template's questions."""

    campaign_id = fields.String()
    title = fields.String()
    template = fields.Nested(TemplateOutput)
    closes_on = fields.Date()
    anonymous = fields.Boolean()


class ResponseInput(Schema):
    """Answers by question id: a number for likert, rating, nps and skm; an object
    {minimum, desired, perceived} for libqual; an option value for single; a list
    of them for multiple; a string for text."""

    answers = fields.Dict(keys=fields.String(), required=True)


class ResponseAccepted(Schema):
    campaign_id = fields.String()
    responses = fields.Integer(metadata={"description": "the campaign's count, this one in"})


# -- results ---------------------------------------------------------------------------
class QuestionResult(Schema):
    id = fields.String()
    type = fields.String()
    text_id = fields.String()
    text_en = fields.String()
    dimension = fields.String(allow_none=True)
    answered = fields.Integer()
    mean = fields.Float(allow_none=True)
    distribution = fields.Dict(keys=fields.String(), values=fields.Integer())
    nps = fields.Float(allow_none=True, metadata={"description": "% promoters - % detractors"})
    minimum = fields.Float(allow_none=True)
    desired = fields.Float(allow_none=True)
    perceived = fields.Float(allow_none=True)
    adequacy_gap = fields.Float(allow_none=True, metadata={"description": "perceived - minimum"})
    superiority_gap = fields.Float(allow_none=True, metadata={"description": "perceived - desired"})


class DimensionResult(Schema):
    dimension = fields.String()
    minimum = fields.Float(allow_none=True)
    desired = fields.Float(allow_none=True)
    perceived = fields.Float(allow_none=True)
    adequacy_gap = fields.Float(allow_none=True)
    superiority_gap = fields.Float(allow_none=True)


class SatisfactionIndex(Schema):
    """The public-service satisfaction index (IKM) of Permenpan RB No. 14/2017."""

    index = fields.Float(allow_none=True, metadata={"description": "25-100"})
    grade = fields.String(allow_none=True, metadata={"description": "A, B, C or D"})
    label = fields.String(allow_none=True, metadata={"description": "Sangat Baik ... Tidak Baik"})
    elements = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True))


class Results(Schema):
    campaign = fields.Nested(CampaignOutput)
    branch_name = fields.String(
        allow_none=True,
        metadata={"description": "the campaign's branch, as the catalogue names it"},
    )
    responses = fields.Integer()
    invited = fields.Integer()
    response_rate = fields.Float(allow_none=True, metadata={"description": "of the invited"})
    average = fields.Float(allow_none=True, metadata={"description": "mean Likert, 1-5"})
    nps = fields.Float(allow_none=True)
    satisfaction = fields.Nested(SatisfactionIndex, allow_none=True)
    dimensions = fields.List(fields.Nested(DimensionResult))
    questions = fields.List(fields.Nested(QuestionResult))
    comments = fields.List(fields.String(), metadata={"description": "free-text answers"})


class OverviewQuery(Input):
    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    branch = fields.String(validate=_branch)


class BranchFigures(Schema):
    branch = fields.String()
    name = fields.String(allow_none=True, metadata={"description": "as the catalogue names it"})
    responses = fields.Integer()
    satisfaction = fields.Nested(SatisfactionIndex, allow_none=True)
    nps = fields.Float(allow_none=True)
    tickets = fields.Integer()
    resolved = fields.Integer()
    resolution_days = fields.Float(
        allow_none=True, metadata={"description": "mean days from received to resolved"}
    )


class MonthFigures(Schema):
    month = fields.String(metadata={"example": "2026-03"})
    responses = fields.Integer()
    nps = fields.Float(allow_none=True)
    satisfaction = fields.Float(allow_none=True)


class Overview(Schema):
    """A year across the branches (a branch key: its own)."""

    year = fields.Integer()
    branches = fields.List(fields.Nested(BranchFigures))
    months = fields.List(fields.Nested(MonthFigures))


# -- tickets -----------------------------------------------------------------------------
class TicketInput(Input):
    category = fields.String(required=True, validate=validate.OneOf(TICKET_CATEGORIES))
    branch = fields.String(required=True, validate=_branch)
    message = fields.String(required=True, validate=validate.Length(min=3, max=5000))
    contact = fields.String(
        allow_none=True,
        validate=validate.Length(max=200),
        metadata={"description": "an e-mail or phone number, if an answer is wanted"},
    )


class TicketTransition(Input):
    to = fields.String(required=True, validate=validate.OneOf(TICKET_STATUSES[1:]))
    response = fields.String(
        allow_none=True,
        validate=validate.Length(min=3, max=5000),
        metadata={"description": "the library's answer; needed to resolve or reject"},
    )


class TicketOutput(Schema):
    id = fields.String(required=True, metadata={"example": "TKT000001"})
    category = fields.String(required=True)
    branch = fields.String(required=True)
    message = fields.String(required=True)
    contact = fields.String(allow_none=True)
    status = fields.String(required=True)
    response = fields.String(allow_none=True)
    opened_at = fields.DateTime(format="iso")
    resolved_at = fields.DateTime(allow_none=True, format="iso")


class TicketQuery(Paged):
    branch = fields.String(validate=_branch)
    status = fields.String(validate=validate.OneOf(TICKET_STATUSES))


TicketPage = page_of(TicketOutput)


class TicketReceipt(Schema):
    """What a visitor gets back: the ticket's id and state, not its contents."""

    id = fields.String()
    status = fields.String()


# -- suggestions -----------------------------------------------------------------------
def _contact() -> Contact:
    return Contact(
        allow_none=True,
        metadata={
            "description": "an e-mail address or an Indonesian mobile number (08..., "
            "+628...), optional. Giving it is consent to be told once the suggestion is "
            "fulfilled: headquarters' notifier reads it then, never before; it is erased if "
            "the suggestion is rejected, and never published.",
            "example": "0812-7400-1234",
        },
    )


class SuggestionInput(Input):
    """A community suggestion: a title for the collection (title, authors, ISBN,
    reason) or an idea for a programme (type, topic, audience, branch). `member`
    is the suggester's library card number: their vote, never published; `contact`
    how they would be told it was fulfilled."""

    kind = fields.String(required=True, validate=validate.OneOf(SUGGESTION_KINDS))
    member = fields.String(required=True, validate=validate.Length(min=3, max=40))
    title = fields.String(validate=_text, metadata={"description": "of a collection suggestion"})
    authors = fields.List(fields.String(validate=validate.Length(min=1, max=200)))
    isbn = fields.String(allow_none=True)
    reason = fields.String(allow_none=True, validate=validate.Length(max=2000))
    programme_type = fields.String(validate=validate.OneOf(PROGRAMME_TYPES))
    topic = fields.String(validate=_text, metadata={"description": "of a programme idea"})
    audience = fields.String(validate=validate.OneOf(AUDIENCES))
    branch = fields.String(allow_none=True, validate=_branch)
    contact = _contact()

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def what_its_kind_needs(self, data, original, **_):
        """A title needs its title, an idea its topic, type, audience and branch: said
        with the other fields' errors, so a form shows every one at once."""
        kind = data.get("kind")
        needs = SUGGESTION_NEEDS.get(kind, ()) if isinstance(original, dict) else ()
        missing = {n: [f"Required for a {kind} suggestion."] for n in needs if not original.get(n)}
        if missing:
            raise ValidationError(missing)


class VoteInput(Input):
    """A supporter's vote: their library card number, and how they would be told."""

    member = fields.String(required=True, validate=validate.Length(min=3, max=40))
    contact = _contact()


class DecisionInput(Input):
    reason = fields.String(required=True, validate=validate.Length(min=3, max=1000))


class SuggestionOutput(Schema):
    id = fields.String(required=True, metadata={"example": "SUG000001"})
    kind = fields.String(required=True)
    title = fields.String(required=True, metadata={"description": "a programme idea's topic"})
    authors = fields.List(fields.String())
    isbn = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    programme_type = fields.String(allow_none=True)
    audience = fields.String(allow_none=True)
    branch = fields.String(allow_none=True)
    status = fields.String(required=True)
    votes = fields.Integer(required=True)
    decision = fields.String(allow_none=True, metadata={"description": "why, when decided"})
    fulfilled_by = fields.String(
        allow_none=True, metadata={"description": "the title (T...) or programme it became"}
    )
    submitted_on = fields.Date()
    stage = fields.String(
        required=True,
        validate=validate.OneOf(SUGGESTION_STAGES),
        metadata={"description": "its way to the shelf: " + ", ".join(SUGGESTION_STAGES)},
    )
    acquisition_id = fields.String(
        allow_none=True,
        metadata={
            "description": "the catalogue's acquisition (ACQ...) it became once ordered: "
            "the acquisition_ref of the title catalogued for it",
            "example": "ACQ000007",
        },
    )
    shelved_at = fields.List(
        fields.String(),
        metadata={
            "description": "the branches (codes) a copy of the title it became was added "
            "at, as the catalogue told; empty until then",
            "example": ["KOTA"],
        },
    )


class SuggestionQuery(Paged):
    kind = fields.String(validate=validate.OneOf(SUGGESTION_KINDS))
    status = fields.String(validate=validate.OneOf(SUGGESTION_STATUSES))


SuggestionPage = page_of(SuggestionOutput)


class BranchOutput(Schema):
    code = fields.String(required=True, metadata={"example": "KMN"})
    name = fields.String(required=True, metadata={"example": "Cabang Kumun Debai"})


class BranchList(Schema):
    """The branches a suggestion may name: the catalogue's, as feedback keeps them."""

    items = fields.List(fields.Nested(BranchOutput), required=True)


class SupporterQuery(Paged):
    """A page of a suggestion's supporters' contacts."""


class Supporter(Schema):
    contact = fields.String(required=True, metadata={"example": "+6281274001234"})
    channel = fields.String(required=True, metadata={"description": "email or phone"})


# How to tell a fulfilled suggestion's supporters who asked to be told: their
# contacts, a page at a time (no card number: a notifier needs none).
SupporterPage = page_of(
    Supporter,
    suggestion_id=fields.String(required=True),
    title=fields.String(required=True),
    fulfilled_by=fields.String(required=True),
    votes=fields.Integer(required=True, metadata={"description": "its supporters"}),
    asked_to_be_told=fields.Integer(required=True),
)


# -- events ----------------------------------------------------------------------------
class SurveyOpened(Schema):
    campaign_id = fields.String(required=True)
    template = fields.String(required=True)
    version = fields.Integer(required=True)
    subject_type = fields.String(required=True)
    subject_id = fields.String(required=True)
    branch = fields.String(allow_none=True)
    opens_on = fields.Date(required=True)
    closes_on = fields.Date(required=True)
    invited = fields.Integer(required=True)


class ResponseSubmitted(Schema):
    """A response came in: which campaign, and its count. Never which response or
    who: an anonymous one must not be linked to anyone."""

    campaign_id = fields.String(required=True)
    subject_type = fields.String(required=True)
    subject_id = fields.String(required=True)
    branch = fields.String(allow_none=True)
    responses = fields.Integer(required=True)


class SuggestionApproved(Schema):
    """A community suggestion the library approved. Of kind `collection`, a title to
    buy: the catalogue puts it on order. Of kind `programme`, an idea for a community
    programme: the events service drafts it at its branch (`title` is its topic)."""

    suggestion_id = fields.String(required=True, validate=validate.Length(min=1, max=50))
    kind = fields.String(
        load_default="collection",
        validate=validate.OneOf(SUGGESTION_KINDS),
        metadata={"description": "collection or programme; absent means collection"},
    )
    title = fields.String(required=True, validate=validate.Length(min=1, max=500))
    authors = fields.List(fields.String(), required=True)
    isbn = fields.String(allow_none=True)
    branch = fields.String(allow_none=True, metadata={"description": "where it is wanted"})
    votes = fields.Integer(required=True, metadata={"description": "readers who backed it"})
    programme_type = fields.String(
        allow_none=True, metadata={"description": "of a programme idea: book_discussion, ..."}
    )
    audience = fields.String(
        allow_none=True, metadata={"description": "of a programme idea: children, ..."}
    )


class SuggestionEvent(Schema):
    """A suggestion as events tell it: no member's card number."""

    suggestion_id = fields.String(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    branch = fields.String(allow_none=True)
    status = fields.String(required=True)
    votes = fields.Integer(required=True)
    decision = fields.String(allow_none=True)
    fulfilled_by = fields.String(allow_none=True)
    # Added within v1 (additive): absent from events published before it.
    submitted_on = fields.Date(metadata={"description": "the day it was suggested"})


class SuggestionFulfilled(SuggestionEvent):
    """A suggestion fulfilled: `votes` are its supporters, `asked_to_be_told` those who
    left a contact, which a notifier reads over the API (never in an event)."""

    # Added within v1 (additive): absent from suggestion_fulfilled published before it.
    asked_to_be_told = fields.Integer(
        required=True, metadata={"description": "supporters who left a contact"}
    )


class EvaluationSummarized(Schema):
    """The result of an evaluation campaign about one subject (a staff-development
    programme, a community event, a branch): people records a programme's beside it."""

    campaign_id = fields.String(required=True, validate=validate.Length(min=1, max=50))
    subject_type = fields.String(
        required=True, metadata={"description": "programme, event or branch"}
    )
    subject_id = fields.String(required=True, metadata={"example": "PRG000001"})
    responses = fields.Integer(required=True)
    average = fields.Float(allow_none=True, metadata={"description": "mean rating, 1-5"})
    summary = fields.String(allow_none=True)
    template = fields.String()
    invited = fields.Integer()
    response_rate = fields.Float(allow_none=True)
    nps = fields.Float(allow_none=True)
    satisfaction_index = fields.Float(allow_none=True)
    satisfaction_grade = fields.String(allow_none=True)
    # Added within v1 (additive): absent from events published before it, and [] for a
    # campaign whose template asks no LibQUAL+ items.
    libqual = fields.List(
        fields.Nested(DimensionResult),
        metadata={"description": "per LibQUAL+ dimension: the means and the gaps"},
    )


class TicketOpened(Schema):
    ticket_id = fields.String(required=True)
    category = fields.String(required=True)
    branch = fields.String(required=True)
    # Added within v1 (additive): absent from events published before it.
    opened_at = fields.DateTime(format="iso", metadata={"description": "when it was received"})


class TicketResolved(Schema):
    """A ticket answered: resolved or rejected. Neither the message nor the contact."""

    ticket_id = fields.String(required=True)
    category = fields.String(required=True)
    branch = fields.String(required=True)
    status = fields.String(required=True)
    days = fields.Float(required=True, metadata={"description": "from received to answered"})
    # Added within v1 (additive): absent from events published before it.
    resolved_at = fields.DateTime(format="iso", metadata={"description": "when it was answered"})


# -- what feedback reads of others --------------------------------------------------------
class BranchSeen(Schema):
    code = fields.String(required=True, validate=_branch)
    name = fields.String(required=True)


class TrainingCompleted(Schema):
    """people's training_completed: one participant of a programme completed it."""

    programme_id = fields.String(required=True)
    staff_id = fields.String(required=True)
    branch = fields.String(required=True)
    topic = fields.String(required=True)
    completed_on = fields.Date(required=True)


class EventCompleted(Schema):
    """events' event_completed: an occurrence held, with who checked in."""

    occurrence_id = fields.String(required=True)
    programme_id = fields.String(required=True)
    title = fields.String(required=True)
    branch = fields.String(required=True)
    ends_at = fields.DateTime(required=True, format="iso")
    partners = fields.List(fields.String(), required=True)
    attendees = fields.List(fields.String(), required=True)
    # added in v1 (additive): an event published before it invites every attendee
    invitable = fields.List(fields.String(), load_default=None)


class ProgrammePublished(Schema):
    """events' programme_published: one drafted from a programme idea names it."""

    programme_id = fields.String(required=True)
    suggestion_id = fields.String(allow_none=True)


class AcquisitionOrdered(Schema):
    """catalog's acquisition_ordered: the order a collection suggestion became."""

    id = fields.String()
    suggestion_id = fields.String()


class AcquisitionReceived(Schema):
    """catalog's acquisition_received: the title ordered is catalogued."""

    id = fields.String(required=True)
    title_id = fields.String(required=True)


class AcquisitionShelved(Schema):
    """catalog's acquisition_shelved: a copy of it at a branch (a suggestion's way to
    the shelf ends there)."""

    id = fields.String(required=True)
    branch = fields.String(required=True)


CAMPAIGN = ("campaign_id",)
ROW_ERRORS = (Forbidden, NotFound)
ANSWER_ERRORS = (NotFound, Conflict, Gone)

# Lists insight reads a page at a time to rebuild its read models (services/insight).
BACKFILLED = ("gateway", "insight")

CONTRACT = Contract(
    service="feedback",
    methods=(
        Method("list_templates", (), None, TemplateList),
        Method("get_template", ("code", "version"), None, TemplateOutput, (NotFound,)),
        Method(
            "put_template", ("payload",), TemplateInput, TemplateOutput, (Forbidden,), writes=True
        ),
        Method(
            "open_campaign",
            ("payload",),
            CampaignInput,
            CampaignOutput,
            (Forbidden, NotFound, Conflict),
            writes=True,
        ),
        Method(
            "list_campaigns",
            ("params",),
            CampaignQuery,
            CampaignPage,
            (Forbidden,),
            callers=BACKFILLED,
        ),
        Method("get_campaign", CAMPAIGN, None, CampaignOutput, ROW_ERRORS),
        Method(
            "invite",
            ("campaign_id", "payload"),
            InvitationsInput,
            InvitationList,
            (*ROW_ERRORS, Gone),
            writes=True,
        ),
        Method("list_invitations", CAMPAIGN, None, InvitationList, ROW_ERRORS),
        Method(
            "close_campaign",
            CAMPAIGN,
            None,
            CampaignOutput,
            (*ROW_ERRORS, Conflict),
            writes=True,
            deadline=30.0,
        ),
        Method("survey_form", ("token",), None, SurveyForm, ANSWER_ERRORS),
        Method(
            "submit_response",
            ("token", "payload"),
            ResponseInput,
            ResponseAccepted,
            ANSWER_ERRORS,
            writes=True,
        ),  # fmt: skip
        Method("results", CAMPAIGN, None, Results, ROW_ERRORS, deadline=30.0),
        Method("overview", ("params",), OverviewQuery, Overview, (Forbidden,), deadline=30.0),
        Method("open_ticket", ("payload",), TicketInput, TicketReceipt, (NotFound,), writes=True),
        Method(
            "list_tickets", ("params",), TicketQuery, TicketPage, (Forbidden,), callers=BACKFILLED
        ),
        Method("get_ticket", ("ticket_id",), None, TicketOutput, ROW_ERRORS),
        Method(
            "transition_ticket",
            ("ticket_id", "payload"),
            TicketTransition,
            TicketOutput,
            (*ROW_ERRORS, Conflict),
            writes=True,
        ),
        Method(
            "submit_suggestion",
            ("payload",),
            SuggestionInput,
            SuggestionOutput,
            (NotFound,),
            writes=True,
        ),
        Method(
            "list_suggestions",
            ("params",),
            SuggestionQuery,
            SuggestionPage,
            callers=BACKFILLED,
        ),
        Method("get_suggestion", ("suggestion_id",), None, SuggestionOutput, (NotFound,)),
        Method("list_branches", (), None, BranchList),
        Method(
            "vote",
            ("suggestion_id", "payload"),
            VoteInput,
            SuggestionOutput,
            (NotFound, Conflict),
            writes=True,
        ),  # fmt: skip
        Method(
            "approve_suggestion",
            ("suggestion_id",),
            None,
            SuggestionOutput,
            (*ROW_ERRORS, Conflict),
            writes=True,
        ),  # fmt: skip
        Method(
            "reject_suggestion",
            ("suggestion_id", "payload"),
            DecisionInput,
            SuggestionOutput,
            (*ROW_ERRORS, Conflict),
            writes=True,
        ),  # fmt: skip
        Method(
            "suggestion_supporters",
            ("suggestion_id", "params"),
            SupporterQuery,
            SupporterPage,
            (*ROW_ERRORS, Conflict),
        ),  # fmt: skip
        Method("health"),
    ),
    events=(
        Event("survey_opened", SurveyOpened),
        Event("response_submitted", ResponseSubmitted),
        Event("evaluation_summarized", EvaluationSummarized),
        Event("ticket_opened", TicketOpened),
        Event("ticket_resolved", TicketResolved),
        Event("suggestion_submitted", SuggestionEvent),
        Event("suggestion_approved", SuggestionApproved),
        Event("suggestion_rejected", SuggestionEvent),
        Event("suggestion_fulfilled", SuggestionFulfilled),
    ),
    consumes=(
        Consumes("catalog", "branch_updated", BranchSeen, versions=(1,)),
        Consumes("catalog", "acquisition_ordered", AcquisitionOrdered, versions=(1,)),
        Consumes("catalog", "acquisition_received", AcquisitionReceived, versions=(1,)),
        Consumes("catalog", "acquisition_shelved", AcquisitionShelved, versions=(1,)),
        Consumes("people", "training_completed", TrainingCompleted, versions=(1,)),
        Consumes("events", "event_completed", EventCompleted, versions=(1,)),
        Consumes("events", "programme_published", ProgrammePublished, versions=(1,)),
    ),
)
