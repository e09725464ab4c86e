"""The gateway service: routes over HTTP, calls into the services."""

from __future__ import annotations

import base64

import eventlet
from nameko.dependency_providers import Config
from nameko.events import BROADCAST, event_handler
from werkzeug.wrappers import Response

from services.catalog.schemas import (
    BranchInput,
    BranchList,
    BranchOutput,
    ImportResult,
    ItemInput,
    ItemOutput,
    ItemStatusInput,
    LocationInput,
    TitleInput,
    TitleOutput,
    TitlePage,
    TitleQuery,
)

from . import oai
from .asyncapi import build_asyncapi
from .cache import Cache
from .calls import ServiceCalls
from .docs import asset_response, page_response
from .errors import json_response, xml_response
from .http import PUBLIC, UPLOAD, file_body, json_body, route
from .oai_repository import CatalogRepository
from .openapi import build_spec

SERVICES = ("catalog",)
MAX_IMPORT_BYTES = 50_000_000
IMPORT_DEADLINE = 600.0
WRITERS = ("admin", "branch")


def _title_events(event_type: str):
    return event_handler("catalog", event_type, handler_type=BROADCAST, reliable_delivery=False)


class GatewayService:
    name = "gateway"

    call = ServiceCalls()
    cache = Cache()
    config = Config()

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

    @route(
        "GET",
        "/v1/asyncapi.json",
        roles=PUBLIC,
        summary="The events, for integrators.",
        tag="platform",
    )
    def asyncapi(self, request):
        return json_response(build_asyncapi())

    @route("GET", "/docs", roles=PUBLIC, summary="The API, for people.", tag="platform")
    def docs(self, request):
        return page_response()

    @route(
        "GET",
        "/docs/assets/<name>",
        roles=PUBLIC,
        summary="A file the /docs page loads; any other name is not found.",
        tag="platform",
    )
    def docs_asset(self, request, name):
        return asset_response(name)

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
        link=("title_id", "id"),
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
        return json_response(self.call("catalog", "search_titles", request.args.to_dict()))

    @route(
        "PUT",
        "/v1/catalog/titles/<title_id>",
        roles=WRITERS,
        summary="Replace a title's fields; send the version you read to avoid lost updates.",
        body=TitleInput,
        response=TitleOutput,
        tag="catalog",
    )
    def update_title(self, request, title_id):
        title = self.call("catalog", "update_title", title_id, json_body(request))
        self.cache.put(title_id, title)
        return json_response(title)

    @route(
        "POST",
        "/v1/catalog/titles/<title_id>/withdraw",
        roles=("admin",),
        summary="Withdraw a title (kept as a deleted record for harvesters).",
        response=TitleOutput,
        tag="catalog",
    )
    def withdraw_title(self, request, title_id):
        title = self.call("catalog", "withdraw_title", title_id)
        self.cache.put(title_id, title)
        return json_response(title)

    @route(
        "POST",
        "/v1/catalog/titles/<title_id>/items",
        roles=WRITERS,
        summary="Add a copy at a branch (a branch key: its own branch only).",
        body=ItemInput,
        response=ItemOutput,
        status=201,
        tag="catalog",
        link=("barcode", "barcode"),
    )
    def add_item(self, request, title_id):
        item = self.call("catalog", "add_item", title_id, json_body(request))
        self.cache.drop(title_id)
        return json_response(item, 201, {"Location": f"/v1/catalog/items/{item['barcode']}"})

    @route(
        "GET",
        "/v1/catalog/items/<barcode>",
        summary="One copy.",
        response=ItemOutput,
        tag="catalog",
    )
    def get_item(self, request, barcode):
        return json_response(self.call("catalog", "get_item", barcode))

    @route(
        "PATCH",
        "/v1/catalog/items/<barcode>",
        roles=WRITERS,
        summary="Change a copy's status (available, on_loan, in_repair, lost, withdrawn).",
        body=ItemStatusInput,
        response=ItemOutput,
        tag="catalog",
    )
    def change_item_status(self, request, barcode):
        item = self.call("catalog", "change_item_status", barcode, json_body(request))
        self.cache.drop(item["title_id"])
        return json_response(item)

    @route(
        "GET",
        "/v1/catalog/branches",
        summary="The library's branches and locations.",
        response=BranchList,
        tag="catalog",
    )
    def list_branches(self, request):
        return json_response({"items": self.call("catalog", "list_branches")})

    @route(
        "POST",
        "/v1/catalog/branches",
        roles=("admin",),
        summary="Create or rename a branch.",
        body=BranchInput,
        response=BranchOutput,
        tag="catalog",
    )
    def put_branch(self, request):
        return json_response(self.call("catalog", "put_branch", json_body(request)))

    @route(
        "POST",
        "/v1/catalog/branches/<code>/locations",
        roles=WRITERS,
        summary="Create or rename a shelving location.",
        body=LocationInput,
        response=BranchOutput,
        tag="catalog",
    )
    def put_location(self, request, code):
        return json_response(self.call("catalog", "put_location", code, json_body(request)))

    # -- MARC ----------------------------------------------------------------------
    @route(
        "POST",
        "/v1/catalog/imports",
        roles=WRITERS,
        summary="Import a MARC21 (binary) or MARCXML file: the body, or form field 'file'. "
        "Bad records are reported by position; importing the same file again changes nothing. "
        "Copies come from 852 ($b branch, $c location, $p barcode) or Koha's 952; a branch "
        "key's copies must be at its own branch.",
        body=UPLOAD,
        response=ImportResult,
        tag="catalog",
    )
    def import_marc(self, request):
        data = file_body(request, MAX_IMPORT_BYTES)
        encoded = base64.b64encode(data).decode()
        report = self.call("catalog", "import_marc", encoded, deadline=IMPORT_DEADLINE)
        return json_response(report)

    @route(
        "GET",
        "/v1/catalog/titles/<title_id>/marcxml",
        summary="One title as MARCXML.",
        tag="catalog",
    )
    def export_title(self, request, title_id):
        return xml_response(self.call("catalog", "export_title_marcxml", title_id))

    @route(
        "GET",
        "/v1/catalog/marcxml",
        query=TitleQuery,
        summary="Every title a search matches, as one MARCXML collection (at most 10,000).",
        tag="catalog",
    )
    def export_search(self, request):
        xml = self.call("catalog", "export_search_marcxml", request.args.to_dict(), deadline=60)
        return xml_response(xml)

    # -- OAI-PMH ---------------------------------------------------------------------
    @route("GET,POST", "/oai", roles=PUBLIC, summary="OAI-PMH 2.0 (oai_dc, marc21).", tag="oai")
    def oai(self, request):
        args = request.form if request.method == "POST" else request.args
        base = request.host_url.rstrip("/") + "/oai"
        repository = CatalogRepository(self.call)
        _, body = oai.handle(args, repository, base, admin_email=self.config["OAI_ADMIN_EMAIL"])
        return Response(body, mimetype="text/xml")

    # -- freshness of what the gateway serves without a call -------------------
    @_title_events("title_created")
    @_title_events("title_updated")
    @_title_events("title_withdrawn")
    def on_title_changed(self, event):
        self.cache.put(event["subject"], event["data"])

    # A copy's change changes its title's availability: read it afresh next time.
    @_title_events("item_added")
    @_title_events("item_status_changed")
    def on_copy_changed(self, event):
        self.cache.drop(event["data"]["title_id"])
