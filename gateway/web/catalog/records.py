"""The catalogue's records served from the gateway's cache, and the writes through
this gateway that keep it fresh at once (what this gateway wrote, it reads at once,
before the owner's event comes); the owner's events keep it fresh otherwise."""

from __future__ import annotations

from urllib.parse import urlencode

from nameko.dependency_providers import Config

from chassis.api import BRANCH_KEYS
from gateway.web.shell.render import branch_names
from services.catalog.contract import CONTRACT

from ...edge.cache import Cache, Freshness, kept_fresh
from ...edge.calls import ServiceClient
from ...edge.errors import json_response
from ...edge.http import json_body, routes_over

route = routes_over(CONTRACT)

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

# The arrivals feeds, kept as the search pages are: a copy added or changed, or a
# title changed, makes them all stale; without events, they live as long as a page.
ARRIVALS = Freshness(
    "catalog.arrivals",
    source="catalog",
    clear_by=("title_updated", "title_withdrawn", "item_added", "item_status_changed"),
)


def cached_search(cache, catalog, config, params: dict) -> dict:
    """A page of search results, from the cache or the catalogue (the JSON route's
    and the public search page's one way)."""
    key = urlencode(sorted(params.items()))
    ttl = float(config["GATEWAY_SEARCH_CACHE_SECONDS"])
    return cache.fetch(SEARCHES.kind, key, lambda: catalog.search_titles(params), ttl)


def cached_branches(cache, catalog) -> dict:
    """{"items": the branches with their locations}, from the cache or the catalogue."""
    return cache.fetch(BRANCHES.kind, "all", lambda: {"items": catalog.list_branches()})


def cached_branch_names(cache, catalog) -> dict[str, str]:
    """{code: name} of the branches, from the cache or the catalogue."""
    return branch_names(cached_branches(cache, catalog)["items"])


class CatalogRecords:
    catalog = ServiceClient(CONTRACT)
    cache = Cache()
    config = Config()

    # Every kind the catalogue's pages and routes keep (routes.py's too): one handler,
    # so that each of its events reaches the process once.
    on_catalog_events = kept_fresh(TITLES, BRANCHES, SEARCHES, ARRIVALS)

    def branch_names(self) -> dict[str, str]:
        """The branches' names by code, for the pages of the gateway's shell, which
        names no part: it asks the composed gateway for `branch_names` (shell/routes.py)."""
        return cached_branch_names(self.cache, self.catalog)

    def _changed(self, title: dict) -> None:
        self.cache.put(TITLES.kind, title["id"], title)
        self.cache.clear(SEARCHES.kind)

    def _changed_copies_of(self, title_id: str) -> None:
        self.cache.drop(TITLES.kind, title_id)
        self.cache.clear(SEARCHES.kind)

    @route("POST", "/v1/catalog/titles", BRANCH_KEYS, calls="create_title", status=201,
           link=("title_id", "id"), summary="Add a title to the catalogue.")  # fmt: skip
    def create_title(self, request):
        title = self.catalog.create_title(json_body(request))
        self._changed(title)
        return json_response(title, 201, {"Location": f"/v1/catalog/titles/{title['id']}"})

    @route("GET", "/v1/catalog/titles/<title:title_id>", calls="get_title", summary="One title.")
    def get_title(self, request, title_id):
        title = self.cache.get(TITLES.kind, title_id)
        if title is None:
            title = self.catalog.get_title(title_id)
            self.cache.put(TITLES.kind, title_id, title)
        return json_response(title)

    @route("GET", "/v1/catalog/titles", calls="search_titles",
           summary="Find titles; pages with limit and cursor.")  # fmt: skip
    def search_titles(self, request):
        params = request.args.to_dict()
        return json_response(cached_search(self.cache, self.catalog, self.config, params))

    @route("PUT", "/v1/catalog/titles/<title:title_id>", BRANCH_KEYS, calls="update_title",
           summary="Replace a title's fields; send the version you read to avoid lost "
                   "updates.")  # fmt: skip
    def update_title(self, request, title_id):
        title = self.catalog.update_title(title_id, json_body(request))
        self._changed(title)
        return json_response(title)

    @route("POST", "/v1/catalog/titles/<title:title_id>/withdraw", ("admin",),
           calls="withdraw_title",
           summary="Withdraw a title (kept as a deleted record for harvesters).")  # fmt: skip
    def withdraw_title(self, request, title_id):
        title = self.catalog.withdraw_title(title_id)
        self._changed(title)
        return json_response(title)

    @route("POST", "/v1/catalog/titles/<title:title_id>/items", BRANCH_KEYS, calls="add_item",
           status=201, link=("barcode", "barcode"),
           summary="Add a copy at a branch (a branch key: its own branch only).")  # fmt: skip
    def add_item(self, request, title_id):
        item = self.catalog.add_item(title_id, json_body(request))
        self._changed_copies_of(title_id)
        return json_response(item, 201, {"Location": f"/v1/catalog/items/{item['barcode']}"})

    @route("PATCH", "/v1/catalog/items/<barcode>", BRANCH_KEYS, calls="change_item_status",
           summary="Change a copy's status (available, on_loan, in_repair, lost, "
                   "withdrawn).")  # fmt: skip
    def change_item_status(self, request, barcode):
        item = self.catalog.change_item_status(barcode, json_body(request))
        self._changed_copies_of(item["title_id"])
        return json_response(item)

    @route("GET", "/v1/catalog/branches", calls="list_branches",
           summary="The library's branches and locations.")  # fmt: skip
    def list_branches(self, request):
        return json_response(cached_branches(self.cache, self.catalog))

    @route("POST", "/v1/catalog/branches", ("admin",), calls="put_branch",
           summary="Create or rename a branch.")  # fmt: skip
    def put_branch(self, request):
        branch = self.catalog.put_branch(json_body(request))
        self.cache.clear(BRANCHES.kind)  # read at once, as _changed
        return json_response(branch)

    @route("POST", "/v1/catalog/branches/<code>/locations", BRANCH_KEYS, calls="put_location",
           summary="Create or rename a shelving location.")  # fmt: skip
    def put_location(self, request, code):
        branch = self.catalog.put_location(code, json_body(request))
        self.cache.clear(BRANCHES.kind)
        return json_response(branch)
