"""The insight slice's page routes: the visitors' book at a branch's entrance and
its day's count by hand (a branch key, signed in once on the tablet), and
headquarters' dashboard (a branch key: its own branch)."""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from marshmallow import fields
from nameko.dependency_providers import Config

from chassis.api import BRANCH_KEYS
from gateway.edge.cache import Cache
from gateway.edge.calls import ServiceClient
from gateway.edge.http import form_body
from gateway.edge.signin import session_token
from gateway.web.shell.render import PageQuery, pages_over
from services.insight.contract import CONTRACT

from . import book, dashboard

page_route = pages_over(CONTRACT)
# The dashboard's answer a page was drawn from, kept this long for the same credential
# and query: a change shows within the 2 s the dashboard promises, and a page asked
# for again and again (a screen left reloading) costs the 185 KB answer once a second,
# not each time (encoded by insight, decoded here: half of both processes' time).
DASHBOARD_SECONDS = 1.0
DASHBOARDS = "insight.dashboard"


class DashboardPageQuery(PageQuery):
    """The dashboard's query as its form sends it: a branch per box ticked."""

    start = fields.String(data_key="from", metadata={"description": "YYYY-MM (11 months ago)"})
    end = fields.String(data_key="to", metadata={"description": "YYYY-MM (this month)"})
    branches = fields.List(fields.String(), metadata={"description": "branch codes (all)"})


class InsightPages:
    insight = ServiceClient(CONTRACT)
    cache = Cache()
    config = Config()

    def _kept_dashboard(self, request):
        """The dashboard call, through what is kept for this request's credential (its
        key, or its sign-in cookie: what one may see, another may not)."""
        credential = request.headers.get("Authorization", "") + "|" + session_token(request)
        who = hashlib.sha256(credential.encode()).hexdigest()
        ttl = min(DASHBOARD_SECONDS, float(self.config["GATEWAY_CACHE_SECONDS"]))

        def kept(query: dict) -> dict:
            key = f"{who}?{urlencode(sorted(query.items()), doseq=True)}"
            return self.cache.fetch(DASHBOARDS, key, lambda: self.insight.dashboard(query), ttl)

        return kept

    @page_route(
        "GET",
        "/buku-tamu",
        BRANCH_KEYS,
        calls="branches",
        summary="The visitors' book at a branch's entrance, for a tablet (a branch key): "
        "tap why you came and your age group, a library card number if you like.",
    )
    def book_page(self, request):
        return book.book_page(request, self.insight.branches)

    @page_route(
        "POST",
        "/buku-tamu",
        BRANCH_KEYS,
        calls=("record_visit", "branches"),
        summary="The visitors' book's answer: the visit counted, and the form for the next.",
    )
    def record_visit_page(self, request):
        return book.record_visit_page(
            request, lambda: form_body(request), self.insight.record_visit, self.insight.branches
        )

    @page_route(
        "GET",
        "/buku-tamu/hitungan",
        BRANCH_KEYS,
        calls="branches",
        summary="A day's visitors counted by hand, by purpose and age group (a branch key).",
    )
    def headcount_page(self, request):
        return book.headcount_page(request, self.insight.branches)

    @page_route(
        "POST",
        "/buku-tamu/hitungan",
        BRANCH_KEYS,
        calls=("record_headcount", "branches"),
        summary="The day's count saved: it replaces that day's earlier count.",
    )
    def record_headcount_page(self, request):
        return book.record_headcount_page(
            request,
            lambda: form_body(request),
            self.insight.record_headcount,
            self.insight.branches,
        )

    @page_route(
        "GET",
        "/dasbor",
        BRANCH_KEYS,
        calls=("dashboard", "branches"),
        query=DashboardPageQuery,
        summary="Headquarters' dashboard as a page (?from=, ?to=, ?branches= ticked): "
        "charts drawn on the server, each with its table and CSV.",
    )
    def dashboard_page(self, request):
        return dashboard.dashboard_page(
            request, self._kept_dashboard(request), self.insight.branches
        )

    @page_route(
        "GET",
        "/dasbor/csv/<view>",
        BRANCH_KEYS,
        calls=("dashboard", "branches"),
        query=DashboardPageQuery,
        summary="A table of the dashboard as CSV: training, programmes, collection or visits.",
    )
    def dashboard_csv(self, request, view):
        return dashboard.dashboard_csv(request, view, self.insight.dashboard, self.insight.branches)
