"""Surveys, visitors' feedback and community suggestions, over the feedback
service's client (made from its contract), and the survey form a link opens.

Respondents need only their link (an invitation's one-time token, or a campaign's
public link): no key. Anyone may open a ticket, suggest and vote (with a library
card number, and a contact to be told of its fulfilment). Headquarters (admin keys)
sees and decides everything; a branch key sees and answers its own branch's tickets
and campaigns (the service checks each record against the caller, by id too); a
partner key reads the results of the programmes it co-hosted. Supporters' contacts
are headquarters' only, for its notifier, once their suggestion is fulfilled."""

from __future__ import annotations

from services.feedback.contract import (
    CAMPAIGN_ID,
    CONTRACT,
    SUGGESTION_ID,
    TICKET_ID,
    CampaignInput,
    CampaignOutput,
    CampaignPage,
    CampaignQuery,
    DecisionInput,
    InvitationList,
    InvitationsInput,
    Overview,
    OverviewQuery,
    ResponseAccepted,
    ResponseInput,
    Results,
    SuggestionInput,
    SuggestionOutput,
    SuggestionPage,
    SuggestionQuery,
    SupporterPage,
    SupporterQuery,
    SurveyForm,
    TemplateInput,
    TemplateList,
    TemplateOutput,
    TicketInput,
    TicketOutput,
    TicketPage,
    TicketQuery,
    TicketReceipt,
    TicketTransition,
    VoteInput,
)

from ..edge.calls import ServiceClient
from ..edge.errors import BadRequest, csv_response, json_response
from ..edge.http import PUBLIC, form_body, json_body, path_id, route
from ..pages.render import PageQuery
from ..pages.reports import campaign_report, overview_report
from ..pages.surveys import survey_page

ADMIN = ("admin",)
BRANCHES = ("admin", "branch")
RESULTS = ("admin", "branch", "partner")  # a partner: of the programmes it co-hosted
ANY_KEY = ("admin", "branch", "partner", "integrator")
MAX_SURVEY_FORM_BYTES = 64_000  # a LibQUAL+ form: 66 choices and a comment

path_id("campaign", CAMPAIGN_ID)
path_id("ticket", TICKET_ID)
path_id("suggestion", SUGGESTION_ID)

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


class FeedbackRoutes:
    feedback = ServiceClient(CONTRACT)

    # -- templates ---------------------------------------------------------------------
    @route(
        "GET",
        "/v1/feedback/templates",
        roles=ANY_KEY,
        summary="Survey templates, each at its latest version.",
        response=TemplateList,
        tag="feedback",
        calls=(CONTRACT.method("list_templates"),),
    )
    def list_templates(self, request):
        return json_response(self.feedback.list_templates())

    @route(
        "GET",
        "/v1/feedback/templates/<template>",
        roles=ANY_KEY,
        summary="A survey template: its latest version, or ?version=N (a published "
        "version never changes).",
        response=TemplateOutput,
        tag="feedback",
        calls=(CONTRACT.method("get_template"),),
    )
    def get_template(self, request, template):
        return json_response(self.feedback.get_template(template, _version(request)))

    @route(
        "POST",
        "/v1/feedback/templates",
        roles=ADMIN,
        summary="A new template, or the next version of one (its code again).",
        body=TemplateInput,
        response=TemplateOutput,
        status=201,
        tag="feedback",
        calls=(CONTRACT.method("put_template"),),
    )
    def put_template(self, request):
        return json_response(self.feedback.put_template(json_body(request)), 201)

    # -- campaigns ---------------------------------------------------------------------
    @route(
        "POST",
        "/v1/feedback/campaigns",
        roles=BRANCHES,
        summary="Open a campaign: a template applied to a subject between two days (a "
        "branch key: about its own branch). Its public link takes anonymous answers.",
        body=CampaignInput,
        response=CampaignOutput,
        status=201,
        tag="feedback",
        link=("campaign_id", "id"),
        calls=(CONTRACT.method("open_campaign"),),
    )
    def open_campaign(self, request):
        return json_response(self.feedback.open_campaign(json_body(request)), 201)

    @route(
        "GET",
        "/v1/feedback/campaigns",
        roles=BRANCHES,
        summary="Campaigns, newest first, a page at a time (a branch key: its own).",
        query=CampaignQuery,
        response=CampaignPage,
        tag="feedback",
        calls=(CONTRACT.method("list_campaigns"),),
    )
    def list_campaigns(self, request):
        return json_response(self.feedback.list_campaigns(request.args.to_dict()))

    @route(
        "GET",
        "/v1/feedback/campaigns/<campaign:campaign_id>",
        roles=RESULTS,
        summary="A campaign.",
        response=CampaignOutput,
        tag="feedback",
        calls=(CONTRACT.method("get_campaign"),),
    )
    def get_campaign(self, request, campaign_id):
        return json_response(self.feedback.get_campaign(campaign_id))

    @route(
        "POST",
        "/v1/feedback/campaigns/<campaign:campaign_id>/invitations",
        roles=BRANCHES,
        summary="Invite respondents: each gets a one-time link (listed in the answer).",
        body=InvitationsInput,
        response=InvitationList,
        tag="feedback",
        calls=(CONTRACT.method("invite"),),
    )
    def invite(self, request, campaign_id):
        return json_response(self.feedback.invite(campaign_id, json_body(request)))

    @route(
        "GET",
        "/v1/feedback/campaigns/<campaign:campaign_id>/invitations",
        roles=BRANCHES,
        summary="The one-time links of a campaign's respondents, to send them.",
        response=InvitationList,
        tag="feedback",
        calls=(CONTRACT.method("list_invitations"),),
    )
    def list_invitations(self, request, campaign_id):
        return json_response(self.feedback.list_invitations(campaign_id))

    @route(
        "POST",
        "/v1/feedback/campaigns/<campaign:campaign_id>/close",
        roles=BRANCHES,
        summary="Close a campaign: it takes no more answers, and its headline figures are "
        "published (evaluation_summarized).",
        response=CampaignOutput,
        tag="feedback",
        calls=(CONTRACT.method("close_campaign"),),
    )
    def close_campaign(self, request, campaign_id):
        return json_response(self.feedback.close_campaign(campaign_id))

    # -- results -----------------------------------------------------------------------
    @route(
        "GET",
        "/v1/feedback/campaigns/<campaign:campaign_id>/results",
        roles=RESULTS,
        summary="A campaign's results: counts, response rate, means and distributions, "
        "NPS, LibQUAL+ gaps per item and dimension, the satisfaction index and grade.",
        response=Results,
        tag="feedback",
        calls=(CONTRACT.method("results"),),
    )
    def results(self, request, campaign_id):
        return json_response(self.feedback.results(campaign_id))

    @route(
        "GET",
        "/v1/feedback/campaigns/<campaign:campaign_id>/results.csv",
        roles=RESULTS,
        summary="A campaign's results as CSV: one row per question.",
        tag="feedback",
        calls=(CONTRACT.method("results"),),
    )
    def results_csv(self, request, campaign_id):
        found = self.feedback.results(campaign_id)
        rows = [RESULT_COLUMNS] + [_result_row(q) for q in found["questions"]]
        return csv_response(rows, f"hasil-{campaign_id}.csv")

    @route(
        "GET",
        "/v1/feedback/campaigns/<campaign:campaign_id>/report",
        roles=RESULTS,
        summary="A campaign's results as a page, with the LibQUAL+ zone of tolerance per "
        "item drawn (SVG).",
        query=PageQuery,
        tag="feedback",
        page=True,
        calls=(CONTRACT.method("results"),),
    )
    def results_page(self, request, campaign_id):
        return campaign_report(request, self.feedback.results(campaign_id))

    @route(
        "GET",
        "/v1/feedback/overview",
        roles=BRANCHES,
        summary="A year across the branches: responses, the satisfaction index and grade, "
        "NPS, tickets and days to resolution; and each month's (a branch key: its own).",
        query=OverviewQuery,
        response=Overview,
        tag="feedback",
        calls=(CONTRACT.method("overview"),),
    )
    def overview(self, request):
        return json_response(self.feedback.overview(request.args.to_dict()))

    @route(
        "GET",
        "/v1/feedback/overview.csv",
        roles=BRANCHES,
        summary="A year across the branches as CSV: one row per branch.",
        query=OverviewQuery,
        tag="feedback",
        calls=(CONTRACT.method("overview"),),
    )
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

    @route(
        "GET",
        "/v1/feedback/overview/report",
        roles=BRANCHES,
        summary="A year across the branches as a page: NPS by month and the satisfaction "
        "index per branch drawn (SVG).",
        query=OverviewQuery,
        tag="feedback",
        page=True,
        calls=(CONTRACT.method("overview"),),
    )
    def overview_page(self, request):
        return overview_report(request, self.feedback.overview(request.args.to_dict()))

    # -- answering ---------------------------------------------------------------------
    @route(
        "GET",
        "/v1/feedback/surveys/<token>",
        roles=PUBLIC,
        summary="The survey a link opens (no key: the link's token is the right to answer).",
        response=SurveyForm,
        tag="feedback",
        calls=(CONTRACT.method("survey_form"),),
    )
    def survey_form(self, request, token):
        return json_response(self.feedback.survey_form(token))

    @route(
        "POST",
        "/v1/feedback/surveys/<token>/responses",
        roles=PUBLIC,
        summary="Answer a survey: every answer is checked against its template, and a "
        "refusal names the reason per question; nothing of a refused response is kept.",
        body=ResponseInput,
        response=ResponseAccepted,
        status=201,
        tag="feedback",
        calls=(CONTRACT.method("submit_response"),),
    )
    def submit_response(self, request, token):
        return json_response(self.feedback.submit_response(token, json_body(request)), 201)

    @route(
        "GET,POST",
        "/s/<token>",
        roles=PUBLIC,
        summary="The survey form for people, as an HTML page (?lang=en for English): "
        "every question, the reasons next to those to correct, and a thank-you.",
        query=PageQuery,
        tag="feedback",
        page=True,
        calls=(CONTRACT.method("survey_form"), CONTRACT.method("submit_response")),
    )
    def survey_page(self, request, token):
        return survey_page(
            request,
            token,
            self.feedback.survey_form,
            self.feedback.submit_response,
            lambda r: form_body(r, MAX_SURVEY_FORM_BYTES),
        )

    # -- tickets -----------------------------------------------------------------------
    @route(
        "POST",
        "/v1/feedback/tickets",
        roles=PUBLIC,
        summary="A visitor's feedback about a branch (a complaint, a question, praise); "
        "the contact is optional and seen by the library only.",
        body=TicketInput,
        response=TicketReceipt,
        status=201,
        tag="feedback",
        calls=(CONTRACT.method("open_ticket"),),
    )
    def open_ticket(self, request):
        return json_response(self.feedback.open_ticket(json_body(request)), 201)

    @route(
        "GET",
        "/v1/feedback/tickets",
        roles=BRANCHES,
        summary="Tickets, newest first, a page at a time (a branch key: its own).",
        query=TicketQuery,
        response=TicketPage,
        tag="feedback",
        calls=(CONTRACT.method("list_tickets"),),
    )
    def list_tickets(self, request):
        return json_response(self.feedback.list_tickets(request.args.to_dict()))

    @route(
        "GET",
        "/v1/feedback/tickets/<ticket:ticket_id>",
        roles=BRANCHES,
        summary="A ticket (a branch key: of its own branch).",
        response=TicketOutput,
        tag="feedback",
        calls=(CONTRACT.method("get_ticket"),),
    )
    def get_ticket(self, request, ticket_id):
        return json_response(self.feedback.get_ticket(ticket_id))

    @route(
        "POST",
        "/v1/feedback/tickets/<ticket:ticket_id>/transitions",
        roles=BRANCHES,
        summary="Move a ticket: received → in_progress → resolved or rejected (with the "
        "library's response); any other move is a 409.",
        body=TicketTransition,
        response=TicketOutput,
        tag="feedback",
        calls=(CONTRACT.method("transition_ticket"),),
    )
    def transition_ticket(self, request, ticket_id):
        return json_response(self.feedback.transition_ticket(ticket_id, json_body(request)))

    # -- suggestions -------------------------------------------------------------------
    @route(
        "POST",
        "/v1/feedback/suggestions",
        roles=PUBLIC,
        summary="Suggest a title for the collection (its ISBN checked) or an idea for a "
        "programme, with a library card number (the suggester's vote, never shown) and, "
        "if given, a contact: consent to be told when it is fulfilled.",
        body=SuggestionInput,
        response=SuggestionOutput,
        status=201,
        tag="feedback",
        link=("suggestion_id", "id"),
        calls=(CONTRACT.method("submit_suggestion"),),
    )
    def submit_suggestion(self, request):
        return json_response(self.feedback.submit_suggestion(json_body(request)), 201)

    @route(
        "GET",
        "/v1/feedback/suggestions",
        roles=PUBLIC,
        summary="The community's suggestions, newest first, with their votes and state.",
        query=SuggestionQuery,
        response=SuggestionPage,
        tag="feedback",
        calls=(CONTRACT.method("list_suggestions"),),
    )
    def list_suggestions(self, request):
        return json_response(self.feedback.list_suggestions(request.args.to_dict()))

    @route(
        "GET",
        "/v1/feedback/suggestions/<suggestion:suggestion_id>",
        roles=PUBLIC,
        summary="A suggestion, its votes and what became of it.",
        response=SuggestionOutput,
        tag="feedback",
        calls=(CONTRACT.method("get_suggestion"),),
    )
    def get_suggestion(self, request, suggestion_id):
        return json_response(self.feedback.get_suggestion(suggestion_id))

    @route(
        "POST",
        "/v1/feedback/suggestions/<suggestion:suggestion_id>/votes",
        roles=PUBLIC,
        summary="Back a suggestion: one vote per library card, with a contact if given "
        "(consent to be told when it is fulfilled); a second vote is a 409 and changes "
        "nothing.",
        body=VoteInput,
        response=SuggestionOutput,
        tag="feedback",
        calls=(CONTRACT.method("vote"),),
    )
    def vote(self, request, suggestion_id):
        return json_response(self.feedback.vote(suggestion_id, json_body(request)))

    @route(
        "POST",
        "/v1/feedback/suggestions/<suggestion:suggestion_id>/approve",
        roles=ADMIN,
        summary="Approve a suggestion: the catalogue orders a title, the events service "
        "drafts a programme (suggestion_approved).",
        response=SuggestionOutput,
        tag="feedback",
        calls=(CONTRACT.method("approve_suggestion"),),
    )
    def approve_suggestion(self, request, suggestion_id):
        return json_response(self.feedback.approve_suggestion(suggestion_id))

    @route(
        "POST",
        "/v1/feedback/suggestions/<suggestion:suggestion_id>/reject",
        roles=ADMIN,
        summary="Reject a suggestion, with the reason its supporters will read.",
        body=DecisionInput,
        response=SuggestionOutput,
        tag="feedback",
        calls=(CONTRACT.method("reject_suggestion"),),
    )
    def reject_suggestion(self, request, suggestion_id):
        return json_response(self.feedback.reject_suggestion(suggestion_id, json_body(request)))

    @route(
        "GET",
        "/v1/feedback/suggestions/<suggestion:suggestion_id>/supporters",
        roles=ADMIN,
        summary="For headquarters' notifier: the contacts of a fulfilled suggestion's "
        "supporters who asked to be told, a page at a time (no card numbers). Before "
        "fulfilment a 409; a rejection erases them.",
        query=SupporterQuery,
        response=SupporterPage,
        tag="feedback",
        calls=(CONTRACT.method("suggestion_supporters"),),
    )
    def suggestion_supporters(self, request, suggestion_id):
        return json_response(
            self.feedback.suggestion_supporters(suggestion_id, request.args.to_dict())
        )
