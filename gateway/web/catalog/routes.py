"""The public catalogue's routes, no key needed: the search and record pages, a
title as a citation file, and the new-arrivals feeds (pages.py, arrivals.py). The
search page reads the gateway's cache of searches, as the JSON route does."""

from __future__ import annotations

from urllib.parse import urlencode

from marshmallow import fields
from nameko.dependency_providers import Config

from gateway.edge.cache import Cache
from gateway.edge.calls import ServiceClient
from gateway.edge.http import PUBLIC
from gateway.web.shell.i18n import translator
from gateway.web.shell.render import (
    PageQuery,
    common,
    html_response,
    language,
    message,
    pages_over,
)
from services.catalog.contract import CONTRACT

from . import pages
from .arrivals import ATOM, atom, atom_response
from .records import ARRIVALS, SEARCHES, cached_branch_names, cached_branches, cached_search

page_route = pages_over(CONTRACT)


class CatalogueQuery(PageQuery):
    q = fields.String(metadata={"description": "words; a word ending in * is a prefix"})
    type = fields.String(metadata={"description": "book, magazine, journal, ebook, ..."})
    language = fields.String(metadata={"description": "ISO 639-2, e.g. ind"})
    branch = fields.String(metadata={"description": "a branch code with an available copy"})
    decade = fields.String(metadata={"example": "1990"})
    subject = fields.String()
    cursor = fields.String(metadata={"description": "the next page's, from the page before"})


class CataloguePages:
    catalog = ServiceClient(CONTRACT)
    cache = Cache()
    config = Config()

    def _search(self, params: dict) -> dict:
        return cached_search(self.cache, self.catalog, self.config, params)

    def _branches(self) -> dict:
        return cached_branches(self.cache, self.catalog)

    def _arrivals(self, branch: str | None) -> list[dict]:
        """The newest arrivals, from the cache or the catalogue: every feed reader
        polls, and working them out reads every copy."""
        ttl = float(self.config["GATEWAY_SEARCH_CACHE_SECONDS"])
        params = {"branch": branch} if branch else {}
        load = lambda: self.catalog.new_arrivals(params)["items"]  # noqa: E731
        return self.cache.fetch(ARRIVALS.kind, branch or "", load, ttl)

    @page_route("GET", "/katalog", PUBLIC, calls=("search_titles", "list_branches"),
                query=CatalogueQuery,
                summary="The public catalogue's search page: one box (Indonesian roots, word* "
                        "prefixes), facets as links, pages of results (?lang=en).")  # fmt: skip
    def catalogue_page(self, request):
        # The page itself is kept, as its search is: rendering it costs several times
        # the search read from the cache. Not for a signed-in page (its form token).
        # Once its time is up, one request draws it afresh and the others are given
        # the page as it was meanwhile (stale): at 1,000,000 titles the search takes
        # a tenth of a second or more, which every request arriving then waited.
        kept = None if common(request)["csrf"] else _page_key(request)
        if not kept:
            return pages.search_page(request, self._search, self._branches)
        ttl = float(self.config["GATEWAY_SEARCH_CACHE_SECONDS"])
        html = self.cache.get(SEARCHES.kind, kept) or (
            self.cache.stale(SEARCHES.kind, kept) if ttl else None  # caches off: none
        )
        if html is not None:
            return html_response(html, form=True)
        with self.cache.refreshing(SEARCHES.kind, kept):
            answer = pages.search_page(request, self._search, self._branches)
            if answer.status_code == 200:
                self.cache.put(SEARCHES.kind, kept, answer.get_data(as_text=True), ttl=ttl)
        return answer

    @page_route("GET", "/katalog/<title_id>", PUBLIC, calls="public_title",
                summary="A title's public page: its description, each copy's branch, "
                        "location, call number and status, an e-resource's link; JSON-LD "
                        "and COinS.")  # fmt: skip
    def title_page(self, request, title_id):
        return pages.record_page(request, title_id, self.catalog.public_title)

    @page_route("GET", "/katalog/<title_id>/<format>", PUBLIC, calls="cite_title",
                media=tuple(media for media, _ in pages.CITATIONS.values()),
                summary="A title as a citation file: format ris or bibtex.")  # fmt: skip
    def title_citation(self, request, title_id, format):
        return pages.citation(request, title_id, format, self.catalog.cite_title)

    @page_route("GET", "/katalog/terbaru.atom", PUBLIC, calls="new_arrivals", media=(ATOM,),
                summary="New arrivals at every branch, as an Atom feed.")  # fmt: skip
    def arrivals_feed(self, request):
        return atom_response(atom(_site(request), self._arrivals(None), language(request)))

    @page_route("GET", "/katalog/terbaru/<code>.atom", PUBLIC,
                calls=("new_arrivals", "list_branches"), media=(ATOM,),
                summary="New arrivals at one branch, as an Atom feed.")  # fmt: skip
    def branch_arrivals_feed(self, request, code):
        names = cached_branch_names(self.cache, self.catalog)
        if code not in names:
            context = common(request)
            _ = translator(context["lang"])
            back = {"href": f"/katalog?lang={context['lang']}", "text": _("Search the catalogue")}
            note = _("The library has no branch at this address. Its feed of all branches is "
                     "/katalog/terbaru.atom.")  # fmt: skip
            return message(context, 404, _("Branch not found"), note, back=back)
        branch = (code, names[code])
        return atom_response(atom(_site(request), self._arrivals(code), language(request), branch))


def _page_key(request) -> str:
    return "page:" + urlencode(sorted(request.args.items(multi=True)))


def _site(request) -> str:
    return request.host_url.rstrip("/")
