"""Surveys, visitors' feedback and community suggestions: the HTTP face. Respondents
need only their link (an invitation's one-time token, or a campaign's public link).
Anyone may open a ticket, suggest and vote (with a library card number). Headquarters
(admin keys) sees and decides everything; a branch key its own branch's tickets and
campaigns (the service checks each record against the caller, by id too); a partner
key reads the results of the programmes it co-hosted. A template by version, CSV, the
reports and the survey form are the feedback slice of the web app (gateway/web/feedback)."""

from chassis.api import ANY_KEY, BRANCH_KEYS, HEADQUARTERS, PARTNER_KEYS, PUBLIC, Api, get, post

from .contract import CAMPAIGN_ID, CONTRACT, SUGGESTION_ID, TICKET_ID

RESULTS = PARTNER_KEYS  # a partner: of the programmes it co-hosted
CAMPAIGN = "/v1/feedback/campaigns/<campaign:campaign_id>"
SUGGESTION = "/v1/feedback/suggestions/<suggestion:suggestion_id>"

# fmt: off
ROUTES = (
    get("/v1/feedback/templates", "list_templates", ANY_KEY,
        summary="Survey templates, each at its latest version."),
    post("/v1/feedback/templates", "put_template", HEADQUARTERS, status=201,
         summary="A new template, or the next version of one (its code again)."),
    post("/v1/feedback/campaigns", "open_campaign", BRANCH_KEYS,
         status=201, link=("campaign_id", "id"),
         summary="Open a campaign: a template applied to a subject between two days (a branch "
                 "key: about its own branch). Its public link takes anonymous answers."),
    get("/v1/feedback/campaigns", "list_campaigns", BRANCH_KEYS,
        summary="Campaigns, newest first, a page at a time (a branch key: its own)."),
    get(CAMPAIGN, "get_campaign", RESULTS,
        summary="A campaign."),
    post(f"{CAMPAIGN}/invitations", "invite", BRANCH_KEYS,
         summary="Invite respondents: each gets a one-time link (listed in the answer)."),
    get(f"{CAMPAIGN}/invitations", "list_invitations", BRANCH_KEYS,
        summary="The one-time links of a campaign's respondents, to send them."),
    post(f"{CAMPAIGN}/close", "close_campaign", BRANCH_KEYS,
         summary="Close a campaign: it takes no more answers, and its headline figures are "
                 "published (evaluation_summarized)."),
    get(f"{CAMPAIGN}/results", "results", RESULTS,
        summary="A campaign's results: counts, response rate, means and distributions, NPS, "
                "LibQUAL+ gaps per item and dimension, the satisfaction index and grade."),
    get("/v1/feedback/overview", "overview", BRANCH_KEYS,
        summary="A year across the branches: responses, the satisfaction index and grade, NPS, "
                "tickets and days to resolution; and each month's (a branch key: its own)."),
    get("/v1/feedback/surveys/<token>", "survey_form", PUBLIC,
        summary="The survey a link opens (no key: the link's token is the right to answer)."),
    post("/v1/feedback/surveys/<token>/responses", "submit_response", PUBLIC, status=201,
         summary="Answer a survey: every answer is checked against its template, and a refusal "
                 "names the reason per question; nothing of a refused response is kept."),
    post("/v1/feedback/tickets", "open_ticket", PUBLIC, status=201,
         summary="A visitor's feedback about a branch (a complaint, a question, praise); the "
                 "contact is optional and seen by the library only."),
    get("/v1/feedback/tickets", "list_tickets", BRANCH_KEYS,
        summary="Tickets, newest first, a page at a time (a branch key: its own)."),
    get("/v1/feedback/tickets/<ticket:ticket_id>", "get_ticket", BRANCH_KEYS,
        summary="A ticket (a branch key: of its own branch)."),
    post("/v1/feedback/tickets/<ticket:ticket_id>/transitions", "transition_ticket", BRANCH_KEYS,
         summary="Move a ticket: received → in_progress → resolved or rejected (with the "
                 "library's response); any other move is a 409."),
    post("/v1/feedback/suggestions", "submit_suggestion", PUBLIC,
         status=201, link=("suggestion_id", "id"),
         summary="Suggest a title for the collection (its ISBN checked) or an idea for a "
                 "programme, with a library card number (the suggester's vote, never shown) and, "
                 "if given, a contact: consent to be told when it is fulfilled."),
    get("/v1/feedback/suggestions", "list_suggestions", PUBLIC,
        summary="The community's suggestions, newest first, with their votes and state."),
    get(SUGGESTION, "get_suggestion", PUBLIC,
        summary="A suggestion, its votes and what became of it."),
    post(f"{SUGGESTION}/votes", "vote", PUBLIC,
         summary="Back a suggestion: one vote per library card, with a contact if given (consent "
                 "to be told when it is fulfilled); a second vote is a 409 and changes nothing."),
    post(f"{SUGGESTION}/approve", "approve_suggestion", HEADQUARTERS,
         summary="Approve a suggestion: the catalogue orders a title, the events service drafts a"
                 " programme (suggestion_approved)."),
    post(f"{SUGGESTION}/reject", "reject_suggestion", HEADQUARTERS,
         summary="Reject a suggestion, with the reason its supporters will read."),
    get(f"{SUGGESTION}/supporters", "suggestion_supporters", HEADQUARTERS,
        summary="For headquarters' notifier: the contacts of a fulfilled suggestion's supporters "
                "who asked to be told, a page at a time (no card numbers). Before fulfilment a "
                "409; a rejection erases them."),
)
# fmt: on

API = Api(
    CONTRACT,
    ROUTES,
    ids={"campaign": CAMPAIGN_ID, "ticket": TICKET_ID, "suggestion": SUGGESTION_ID},
)
