"""The public catalogue's pages, for people with phones and no key: the search
(/katalog) with its facets as links and its pages of results, and a title's record
page with its copies, its e-resource's own link, and what machines read of it
(linked_data.py). They call the catalogue through its contract (the callables
passed in) and carry no rule of their own.

Bad input changes nothing and gets a page in the reader's language that says what
to do next: a search too long or with no words, a prefix that matches too much, a
filter the catalogue does not know, a page past the end, a title that is not
there. The catalogue's own messages are for developers and are never shown; a
refusal is told apart by the field it names."""

from __future__ import annotations

from urllib.parse import urlencode

from werkzeug.wrappers import Response

from chassis.errors import DomainError, NotFound, ValidationFailed
from gateway.edge.errors import error_response
from gateway.web.shell.i18n import N_, translations, translator
from gateway.web.shell.render import branch_names, common, message, page
from services.catalog.contract import ELECTRONIC, TitleQuery

from .linked_data import coins, json_ld, language_name
from .suggestions import suggestion_link

SEARCH = "/katalog"
PAGE_SIZE = 20
MAX_QUERY = TitleQuery().fields["q"].validate.max  # the catalogue's own limit
FILTERS = ("type", "language", "branch", "decade", "subject")
# A page's filters as the catalogue's search names them (decade: year_from/to).
SEARCH_NAMES = {"type": "type", "language": "language", "branch": "available_at",
                "subject": "subject"}  # fmt: skip


def _status(exc: DomainError) -> int:
    return error_response(exc).status_code


def _href(lang: str, **params) -> str:
    shown = {k: v for k, v in params.items() if v}
    return f"{SEARCH}?{urlencode({**shown, 'lang': lang})}"


def _unavailable(context: dict, status: int) -> Response:
    _ = translator(context["lang"])
    back = {"href": _href(context["lang"]), "text": _("Back to the catalogue")}
    return message(context, status, _("The catalogue is unavailable"),
                   _("Please try again in a few minutes."), back=back)  # fmt: skip


# -- the search ---------------------------------------------------------------------------


def wanted_of(request) -> dict:
    """What the reader asked for: the words, the filters and the page's cursor."""
    names = ("q", *FILTERS, "cursor")
    return {k: request.args[k].strip() for k in names if request.args.get(k, "").strip()}


def search_params(wanted: dict) -> dict:
    """The catalogue's search for a page's query; ValueError for a decade that is none."""
    params = {"limit": PAGE_SIZE, "facets": "true"}
    for name, search_name in SEARCH_NAMES.items():
        if name in wanted:
            params[search_name] = wanted[name]
    for name in ("q", "cursor"):
        if name in wanted:
            params[name] = wanted[name]
    if "decade" in wanted:
        decade = wanted["decade"]
        if not (decade.isdigit() and len(decade) == 4 and decade.endswith("0")):
            raise ValueError(decade)
        params["year_from"], params["year_to"] = int(decade), int(decade) + 9
    return params


def search_page(request, search, list_branches) -> Response:
    context = common(request)
    _ = translator(context["lang"])
    wanted = wanted_of(request)
    if len(wanted.get("q", "")) > MAX_QUERY:
        note = _("Your search is %(length)s characters long. Use at most %(most)s: a few words "
                 "of the title, the author or the subject.",
                 length=len(wanted["q"]), most=MAX_QUERY)  # fmt: skip
        return _search(context, 400, wanted={**wanted, "q": wanted["q"][:MAX_QUERY]}, error=note)
    if not wanted:  # nothing asked yet: the box, and how to use it
        return _search(context)
    try:
        names = branch_names(list_branches()["items"])
        found = search(search_params(wanted))
    except ValueError:
        return _search(context, 400, wanted=wanted, error=_unknown_filter(_))
    except DomainError as exc:
        return _refused_search(context, exc, wanted)
    if not found["items"] and "cursor" in wanted:
        note = _("There are no more results. Start again from the first page of this search.")
        more = {k: v for k, v in wanted.items() if k != "cursor"}
        back = {"href": _href(context["lang"], **more), "text": _("First page of results")}
        return message(context, 400, _("No more results"), note, back=back)
    return _search(context, wanted=wanted, found=found, names=names)


def _unknown_filter(_) -> str:
    return _("One of the filters is not one the catalogue knows. Remove it, or start a new "
             "search.")  # fmt: skip


def _refused_search(context: dict, exc: DomainError, wanted: dict) -> Response:
    _ = translator(context["lang"])
    status = _status(exc)
    if status >= 500 or not isinstance(exc, ValidationFailed):
        return _unavailable(context, status)
    fields = exc.details.get("fields", {})
    if "cursor" in fields:
        note = _("This page of results no longer exists. Start again from the first page.")
        more = {k: v for k, v in wanted.items() if k != "cursor"}
        back = {"href": _href(context["lang"], **more), "text": _("First page of results")}
        return message(context, status, _("No more results"), note, back=back)
    if "q" not in fields:
        return _search(context, status, wanted=wanted, error=_unknown_filter(_))
    if "*" in wanted.get("q", ""):
        note = _("A word ending in * matches too many words. Type more letters before the *, "
                 "like sejara* instead of se*.")  # fmt: skip
    else:
        note = _("Your search has no words to look for. Type letters or digits, like a word "
                 "of the title.")  # fmt: skip
    return _search(context, status, wanted=wanted, error=note)


def _search(context: dict, status: int = 200, *, wanted=None, found=None, names=None, error=""):
    lang, wanted = context["lang"], wanted or {}
    _ = translator(lang)
    shown = {
        "q": wanted.get("q", ""),
        "error": error,
        "searched": found is not None,
        "results": [],
        "total": 0,
        "facets": [],
        "active": [],
        "next_href": None,
        "first_href": None,
        "suggest_href": suggestion_link(lang, title=wanted.get("q", "")),
        "max_query": MAX_QUERY,
    }
    if found is not None:
        names = names or {}
        shown.update(
            results=[_result(t, names) for t in found["items"]],
            total=found["total"],
            facets=_facets(found.get("facets") or {}, wanted, names, lang),
            active=_active(wanted, names, lang),
        )
        if found["next_cursor"]:
            shown["next_href"] = _href(lang, **{**wanted, "cursor": found["next_cursor"]})
        if "cursor" in wanted:
            shown["first_href"] = _href(lang, **{k: v for k, v in wanted.items() if k != "cursor"})
    return page("catalog/search.html", status, form=True, **shown, **context)


def _result(title: dict, names: dict) -> dict:
    available = [a["branch"] for a in title["availability"] if a["available"]]
    return {
        **title,
        "available_at": [names.get(code, code) for code in available],
        "held": any(a["total"] for a in title["availability"]),
        "online": title["material_type"] in ELECTRONIC,
    }


def _label(kind: str, value: str, names: dict, lang: str) -> str:
    _ = translator(lang)
    if kind == "type":
        return translations(lang).pgettext("material_type", value)
    if kind == "language":
        return language_name(value, lang)
    if kind == "branch":
        return names.get(value, value)
    if kind == "decade":
        return _("%(decade)ss", decade=value)
    return value


# The catalogue's facets, named as the page's filters are.
FACET_HEADINGS = {
    "type": N_("Type"),
    "language": N_("Language"),
    "branch": N_("Available now at"),
    "decade": N_("Published in"),
    "subject": N_("Subject"),
}


def _facets(facets: dict, wanted: dict, names: dict, lang: str) -> list[dict]:
    """Each facet with its values as links narrowing the search (none for a filter
    already applied)."""
    _ = translator(lang)
    rest = {k: v for k, v in wanted.items() if k != "cursor"}
    groups = []
    for name, heading in FACET_HEADINGS.items():
        if name in wanted:
            continue
        values = [
            {
                "label": _label(name, f["value"], names, lang),
                "count": f["count"],
                "href": _href(lang, **{**rest, name: f["value"]}),
            }
            for f in facets.get(name, ())
        ]
        if values:
            groups.append({"name": name, "heading": _(heading), "values": values})
    return groups


def _active(wanted: dict, names: dict, lang: str) -> list[dict]:
    """The filters applied, each with a link that removes it."""
    rest = {k: v for k, v in wanted.items() if k != "cursor"}
    return [
        {
            "label": _label(name, wanted[name], names, lang),
            "href": _href(lang, **{k: v for k, v in rest.items() if k != name}),
        }
        for name in FILTERS
        if name in wanted
    ]


# -- a title ------------------------------------------------------------------------------


def _title_failure(context: dict, exc: DomainError) -> Response:
    _ = translator(context["lang"])
    if isinstance(exc, NotFound) or _status(exc) < 500:
        back = {"href": _href(context["lang"]), "text": _("Search the catalogue")}
        note = _("The catalogue has no title at this address. Search for it by its title, "
                 "author or ISBN.")  # fmt: skip
        return message(context, 404, _("Title not found"), note, back=back)
    return _unavailable(context, _status(exc))


def record_page(request, title_id: str, get_title) -> Response:
    context = common(request)
    try:
        title = get_title(title_id)
    except DomainError as exc:
        return _title_failure(context, exc)
    url = request.host_url.rstrip("/") + f"{SEARCH}/{title['id']}"
    lang = context["lang"]
    authors = title.get("authors") or []
    return page(
        "catalog/record.html",
        title=title,
        url=url,
        json_ld=json_ld(title, url),
        coins=coins(title),
        language=language_name(title["language"], lang),
        subject_links=[(s, _href(lang, subject=s)) for s in title.get("subjects") or ()],
        suggest_href=suggestion_link(
            lang,
            title=title["title"],
            author=authors[0] if authors else "",
            isbn=title.get("isbn") or "",
        ),  # fmt: skip
        search_href=_href(lang),
        **context,
    )


CITATIONS = {  # format: (media type, file extension)
    "ris": ("application/x-research-info-systems", "ris"),
    "bibtex": ("application/x-bibtex", "bib"),
}


def citation(request, title_id: str, format: str, cite) -> Response:
    """A title as a citation file, or the page of a title not found."""
    if format not in CITATIONS:
        return _title_failure(common(request), NotFound("no such format"))
    try:
        text = cite(title_id, format)
    except DomainError as exc:
        return _title_failure(common(request), exc)
    mimetype, extension = CITATIONS[format]
    return Response(
        text,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{title_id}.{extension}"'},
    )
