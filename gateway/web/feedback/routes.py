"""The feedback slice's page routes: the survey form a link opens, the two results
reports (a campaign's, and a year across the branches), and the community's
suggestions in public (the list, a suggestion with its vote form, the form to
suggest)."""

from __future__ import annotations

from chassis.api import BRANCH_KEYS, PARTNER_KEYS
from gateway.edge.calls import ServiceClient
from gateway.edge.http import PUBLIC, form_body
from gateway.web.shell.render import pages_over
from services.feedback.contract import CONTRACT, OverviewQuery

from . import suggestions
from .reports import campaign_report, overview_report
from .survey import survey_page

MAX_SURVEY_FORM_BYTES = 64_000  # a LibQUAL+ form: 66 choices and a comment


page_route = pages_over(CONTRACT)


class FeedbackPages:
    feedback = ServiceClient(CONTRACT)

    @page_route(
        "GET",
        "/v1/feedback/campaigns/<campaign:campaign_id>/report",
        PARTNER_KEYS,
        calls=("results", "get_template"),
        summary="A campaign's results as a page, with the LibQUAL+ zone of tolerance per "
        "item drawn (SVG).",
    )
    def results_page(self, request, campaign_id):
        found = self.feedback.results(campaign_id)
        campaign = found["campaign"]
        template = self.feedback.get_template(campaign["template"], campaign["version"])
        return campaign_report(request, found, template)

    @page_route(
        "GET",
        "/v1/feedback/overview/report",
        BRANCH_KEYS,
        calls="overview",
        query=OverviewQuery,
        summary="A year across the branches as a page: NPS by month and the satisfaction "
        "index per branch drawn (SVG).",
    )
    def overview_page(self, request):
        return overview_report(request, self.feedback.overview(request.args.to_dict()))

    @page_route(
        "GET,POST",
        "/s/<token>",
        PUBLIC,
        calls=("survey_form", "submit_response"),
        summary="The survey form for people, as an HTML page (?lang=en for English): "
        "every question, the reasons next to those to correct, and a thank-you.",
    )
    def survey_page(self, request, token):
        return survey_page(
            request,
            token,
            self.feedback.survey_form,
            self.feedback.submit_response,
            lambda r: form_body(r, MAX_SURVEY_FORM_BYTES),
        )

    @page_route(
        "GET",
        "/usulan",
        PUBLIC,
        calls=("list_suggestions", "list_branches"),
        summary="The community's suggestions for people, as an HTML page, newest first, with "
        "their votes and their way to the shelf (?status=, ?kind=, ?lang=en).",
    )
    def suggestions_page(self, request):
        return suggestions.list_page(
            request, self.feedback.list_suggestions, self.feedback.list_branches
        )

    @page_route(
        "GET,POST",
        "/usulan/baru",
        PUBLIC,
        calls=("submit_suggestion", "list_branches"),
        summary="The form to suggest a title (?judul=, ?pengarang=, ?isbn= fill it in) or, "
        "with ?jenis=acara, a programme idea; the reasons next to the fields to correct.",
    )
    def suggest_page(self, request):
        return suggestions.new_page(
            request,
            self.feedback.submit_suggestion,
            self.feedback.list_branches,
            lambda: form_body(request),
        )

    @page_route(
        "GET,POST",
        "/usulan/<suggestion_id>",
        PUBLIC,
        calls=("get_suggestion", "vote", "list_branches"),
        summary="A suggestion's page: its votes, its way to the shelf (approved, ordered, on "
        "the shelf, or why not), and while open a form to back it with a library card.",
    )
    def suggestion_page(self, request, suggestion_id):
        if request.method == "GET":
            return suggestions.suggestion_page(
                request, suggestion_id, self.feedback.get_suggestion, self.feedback.list_branches
            )
        return suggestions.vote_page(
            request,
            suggestion_id,
            self.feedback.vote,
            self.feedback.get_suggestion,
            self.feedback.list_branches,
            lambda: form_body(request),
        )
