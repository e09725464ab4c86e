"""The gateway service: routes over HTTP, calls into the services."""

from __future__ import annotations

import eventlet
from nameko.events import BROADCAST, event_handler
from werkzeug.wrappers import Response

from services.catalog.schemas import TitleInput, TitleOutput, TitlePage, TitleQuery

from .cache import Cache
from .calls import ServiceCalls
from .errors import json_response
from .http import PUBLIC, json_body, route
from .openapi import DOCS_PAGE, build_spec

SERVICES = ("catalog",)
WRITERS = ("admin", "branch")


def _title_events(event_type: str):
    return event_handler("catalog", event_type, handler_type=BROADCAST, reliable_delivery=False)


class GatewayService:
    name = "gateway"

    call = ServiceCalls()
    cache = Cache()

    # -- platform -------------------------------------------------------------
    @route("GET", "/health", roles=PUBLIC, summary="The gateway is alive.", tag="platform")
    def health(self, request):
        return json_response({"status": "ok"})

    @route(
        "GET", "/ready", roles=PUBLIC, summary="Every service answers within 2 s.", tag="platform"
    )
    def ready(self, request):
        checks = {name: eventlet.spawn(self._check, name) for name in SERVICES}
        status = {name: check.wait() for name, check in checks.items()}
        ready = all(s == "ok" for s in status.values())
        return json_response({"ready": ready, "services": status}, 200 if ready else 503)

    def _check(self, service: str) -> str:
        try:
            self.call(service, "health", deadline=2.0)
            return "ok"
        except Exception as exc:
            return getattr(exc, "code", type(exc).__name__)

    @route("GET", "/v1/openapi.json", roles=PUBLIC, summary="This document.", tag="platform")
    def openapi(self, request):
        return json_response(build_spec(type(self)))

    @route("GET", "/docs", roles=PUBLIC, summary="The API, for people.", tag="platform")
    def docs(self, request):
        return Response(DOCS_PAGE, mimetype="text/html")

    # -- catalogue --------------------------------------------------------------
    @route(
        "POST",
        "/v1/catalog/titles",
        roles=WRITERS,
        summary="Add a title to the catalogue.",
        body=TitleInput,
        response=TitleOutput,
        status=201,
        tag="catalog",
    )
    def create_title(self, request):
        title = self.call("catalog", "create_title", json_body(request))
        self.cache.put(title["id"], title)
        return json_response(title, 201, {"Location": f"/v1/catalog/titles/{title['id']}"})

    @route(
        "GET",
        "/v1/catalog/titles/<title_id>",
        summary="One title.",
        response=TitleOutput,
        tag="catalog",
    )
    def get_title(self, request, title_id):
        title = self.cache.get(title_id)
        if title is None:
            title = self.call("catalog", "get_title", title_id)
            self.cache.put(title_id, title)
        return json_response(title)

    @route(
        "GET",
        "/v1/catalog/titles",
        summary="Find titles; pages with limit and cursor.",
        query=TitleQuery,
        response=TitlePage,
        tag="catalog",
    )
    def search_titles(self, request):
        return json_response(self.call("catalog", "search_titles", dict(request.args)))

    # -- freshness of what the gateway serves without a call -------------------
    @_title_events("title_created")
    def on_title_created(self, event):
        self.cache.put(event["subject"], event["data"])

    @_title_events("title_updated")
    def on_title_updated(self, event):
        self.cache.put(event["subject"], event["data"])
