"""The catalogue's routes, and how the records they serve without a call stay fresh.
The catalogue is called through its client, made from its contract."""

from __future__ import annotations

import base64
from urllib.parse import urlencode

from nameko.dependency_providers import Config

from services.catalog.contract import (
    CONTRACT,
    TITLE_ID,
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

from ..edge.cache import Cache, Freshness, kept_fresh
from ..edge.calls import ServiceClient
from ..edge.errors import json_response, xml_response
from ..edge.http import UPLOAD, file_body, json_body, path_id, route

MAX_IMPORT_BYTES = 50_000_000
WRITERS = ("admin", "branch")

path_id("title", TITLE_ID)
# A title is served from the cache: its own events put it there afresh, and a change
# of one of its copies (its availability) makes it stale.
TITLES = Freshness(
    "catalog.title",
    source="catalog",
    put_by=("title_created", "title_updated", "title_withdrawn"),
    drop_by={"item_added": "title_id", "item_status_changed": "title_id"},
)
# The branches change rarely and are read on every form that offers them.
BRANCHES = Freshness("catalog.branches", source="catalog", clear_by=("branch_updated",))
# A page of search results is the same for every caller; any change of a title or a
# copy may change it, so each clears them all. If events stop (the broker is away), a
# page is at most GATEWAY_SEARCH_CACHE_SECONDS old.
SEARCHES = Freshness(
    "catalog.search",
    source="catalog",
    clear_by=(*TITLES.put_by, *TITLES.drop_by),
)


class CatalogRoutes:
    catalog = ServiceClient(CONTRACT)
    cache = Cache()

    config = Config()

    on_title_events = kept_fresh(TITLES)
    on_branch_events = kept_fresh(BRANCHES)
    on_search_events = kept_fresh(SEARCHES)

    # What this gateway wrote, it reads at once, before the owner's event comes.
    def _changed(self, title: dict) -> None:
        self.cache.put(TITLES.kind, title["id"], title)
        self.cache.clear(SEARCHES.kind)

    def _changed_copies_of(self, title_id: str) -> None:
        self.cache.drop(TITLES.kind, title_id)
        self.cache.clear(SEARCHES.kind)

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
        calls=(CONTRACT.method("create_title"),),
    )
    def create_title(self, request):
        title = self.catalog.create_title(json_body(request))
        self._changed(title)
        return json_response(title, 201, {"Location": f"/v1/catalog/titles/{title['id']}"})

    @route(
        "GET",
        "/v1/catalog/titles/<title:title_id>",
        summary="One title.",
        response=TitleOutput,
        tag="catalog",
        calls=(CONTRACT.method("get_title"),),
    )
    def get_title(self, request, title_id):
        title = self.cache.get(TITLES.kind, title_id)
        if title is None:
            title = self.catalog.get_title(title_id)
            self.cache.put(TITLES.kind, title_id, title)
        return json_response(title)

    @route(
        "GET",
        "/v1/catalog/titles",
        summary="Find titles; pages with limit and cursor.",
        query=TitleQuery,
        response=TitlePage,
        tag="catalog",
        calls=(CONTRACT.method("search_titles"),),
    )
    def search_titles(self, request):
        params = request.args.to_dict()
        key = urlencode(sorted(params.items()))
        page = self.cache.get(SEARCHES.kind, key)
        if page is None:
            page = self.catalog.search_titles(params)
            ttl = float(self.config["GATEWAY_SEARCH_CACHE_SECONDS"])
            self.cache.put(SEARCHES.kind, key, page, ttl=ttl)
        return json_response(page)

    @route(
        "PUT",
        "/v1/catalog/titles/<title:title_id>",
        roles=WRITERS,
        summary="Replace a title's fields; send the version you read to avoid lost updates.",
        body=TitleInput,
        response=TitleOutput,
        tag="catalog",
        calls=(CONTRACT.method("update_title"),),
    )
    def update_title(self, request, title_id):
        title = self.catalog.update_title(title_id, json_body(request))
        self._changed(title)
        return json_response(title)

    @route(
        "POST",
        "/v1/catalog/titles/<title:title_id>/withdraw",
        roles=("admin",),
        summary="Withdraw a title (kept as a deleted record for harvesters).",
        response=TitleOutput,
        tag="catalog",
        calls=(CONTRACT.method("withdraw_title"),),
    )
    def withdraw_title(self, request, title_id):
        title = self.catalog.withdraw_title(title_id)
        self._changed(title)
        return json_response(title)

    @route(
        "POST",
        "/v1/catalog/titles/<title:title_id>/items",
        roles=WRITERS,
        summary="Add a copy at a branch (a branch key: its own branch only).",
        body=ItemInput,
        response=ItemOutput,
        status=201,
        tag="catalog",
        link=("barcode", "barcode"),
        calls=(CONTRACT.method("add_item"),),
    )
    def add_item(self, request, title_id):
        item = self.catalog.add_item(title_id, json_body(request))
        self._changed_copies_of(title_id)
        return json_response(item, 201, {"Location": f"/v1/catalog/items/{item['barcode']}"})

    @route(
        "GET",
        "/v1/catalog/items/<barcode>",
        summary="One copy.",
        response=ItemOutput,
        tag="catalog",
        calls=(CONTRACT.method("get_item"),),
    )
    def get_item(self, request, barcode):
        return json_response(self.catalog.get_item(barcode))

    @route(
        "PATCH",
        "/v1/catalog/items/<barcode>",
        roles=WRITERS,
        summary="Change a copy's status (available, on_loan, in_repair, lost, withdrawn).",
        body=ItemStatusInput,
        response=ItemOutput,
        tag="catalog",
        calls=(CONTRACT.method("change_item_status"),),
    )
    def change_item_status(self, request, barcode):
        item = self.catalog.change_item_status(barcode, json_body(request))
        self._changed_copies_of(item["title_id"])
        return json_response(item)

    @route(
        "GET",
        "/v1/catalog/branches",
        summary="The library's branches and locations.",
        response=BranchList,
        tag="catalog",
        calls=(CONTRACT.method("list_branches"),),
    )
    def list_branches(self, request):
        branches = self.cache.get(BRANCHES.kind, "all")
        if branches is None:
            branches = {"items": self.catalog.list_branches()}
            self.cache.put(BRANCHES.kind, "all", branches)
        return json_response(branches)

    @route(
        "POST",
        "/v1/catalog/branches",
        roles=("admin",),
        summary="Create or rename a branch.",
        body=BranchInput,
        response=BranchOutput,
        tag="catalog",
        calls=(CONTRACT.method("put_branch"),),
    )
    def put_branch(self, request):
        branch = self.catalog.put_branch(json_body(request))
        self.cache.clear(BRANCHES.kind)  # read at once, as _changed
        return json_response(branch)

    @route(
        "POST",
        "/v1/catalog/branches/<code>/locations",
        roles=WRITERS,
        summary="Create or rename a shelving location.",
        body=LocationInput,
        response=BranchOutput,
        tag="catalog",
        calls=(CONTRACT.method("put_location"),),
    )
    def put_location(self, request, code):
        branch = self.catalog.put_location(code, json_body(request))
        self.cache.clear(BRANCHES.kind)
        return json_response(branch)

    # -- MARC ----------------------------------------------------------------------
    @route(
        "POST",
        "/v1/catalog/imports",
        roles=WRITERS,
        summary="Import a MARC21 (binary) or MARCXML file: the body, or form field 'file'. "
        "Bad records are reported by position; importing the same file again changes nothing. "
        "Copies come from 852 ($b branch, $c location, $p barcode) or Koha's 952; a holding "
        "that cannot be a copy (no barcode or branch, an unknown branch or location, a barcode "
        "in use, or for a branch key another branch) is skipped and listed in 'skipped', and "
        "its title still comes in.",
        body=UPLOAD,
        response=ImportResult,
        tag="catalog",
        calls=(CONTRACT.method("import_marc"),),
    )
    def import_marc(self, request):
        data = file_body(request, MAX_IMPORT_BYTES)
        encoded = base64.b64encode(data).decode()
        report = self.catalog.import_marc(encoded)
        return json_response(report)

    @route(
        "GET",
        "/v1/catalog/titles/<title:title_id>/marcxml",
        summary="One title as MARCXML.",
        tag="catalog",
        calls=(CONTRACT.method("export_title_marcxml"),),
    )
    def export_title(self, request, title_id):
        return xml_response(self.catalog.export_title_marcxml(title_id))

    @route(
        "GET",
        "/v1/catalog/marcxml",
        query=TitleQuery,
        summary="Every title a search matches, as one MARCXML collection (at most 10,000).",
        tag="catalog",
        calls=(CONTRACT.method("export_search_marcxml"),),
    )
    def export_search(self, request):
        xml = self.catalog.export_search_marcxml(request.args.to_dict())
        return xml_response(xml)
