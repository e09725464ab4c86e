"""The feedback slice's page routes: the survey form a link opens, and the two
results reports (a campaign's, and a year across the branches)."""

from __future__ import annotations

from gateway.edge.calls import ServiceClient
from gateway.edge.http import PUBLIC, form_body, path_id, route
from gateway.web.shell.render import PageQuery
from services.feedback.contract import CAMPAIGN_ID, CONTRACT, OverviewQuery

from .reports import campaign_report, overview_report
from .survey import survey_page

BRANCHES = ("admin", "branch")
RESULTS = ("admin", "branch", "partner")  # a partner: of the programmes it co-hosted
MAX_SURVEY_FORM_BYTES = 64_000  # a LibQUAL+ form: 66 choices and a comment

path_id("campaign", CAMPAIGN_ID)


class FeedbackPages:
    feedback = ServiceClient(CONTRACT)

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
