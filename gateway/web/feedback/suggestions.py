"""Community choice in public, for people with phones and no script: the list of
suggestions (/usulan), newest first, with their votes and their way to the shelf; a
suggestion's page with its vote form (/usulan/<id>); and the form to suggest a title
or a programme idea (/usulan/baru, ?jenis=acara for an idea). A catalogue search
with no result, or a record page, links to the form filled in: ?judul=, ?pengarang=
and ?isbn= (PREFILL).

They call the feedback service through its contract (the callables passed in) and
carry no rule of their own: the kinds, states, programme types and audiences are the
contract's, the branches those the service knows, the reasons for a refusal the
service's (suggestion_refusals.py puts them in the reader's words). A refused form
comes back after GOV.UK's pattern: a summary at the top linking to each field, the
reason beside the field, what was typed kept; nothing is changed."""

from __future__ import annotations

from werkzeug.wrappers import Response

from chassis.errors import Conflict, DomainError, NotFound, ValidationFailed
from gateway.edge.errors import status_of
from gateway.web.shell.i18n import translator
from gateway.web.shell.render import branch_names, common, message, page
from services.feedback.contract import (
    AUDIENCES,
    PROGRAMME_TYPES,
    SUGGESTION_KINDS,
    SUGGESTION_STATUSES,
)

from .suggestion_refusals import FORM, refusal

PAGE_SIZE = 20
# The form's link from the catalogue: its query's names -> the form's fields.
PREFILL = {"judul": "title", "pengarang": "authors", "isbn": "isbn"}
IDEA = "acara"  # ?jenis=acara: a programme idea; a title otherwise
FIELDS = {
    "collection": ("title", "authors", "isbn", "reason", "branch", "member", "contact"),
    "programme": (
        "topic",
        "programme_type",
        "audience",
        "branch",
        "reason",
        "member",
        "contact",
    ),  # fmt: skip
}
VOTE_FIELDS = ("member", "contact")


def _context(request) -> dict:
    lang = common(request)
    return {
        **lang,
        "programme_types": PROGRAMME_TYPES,
        "audiences": AUDIENCES,
        "statuses": SUGGESTION_STATUSES,
        "kinds": SUGGESTION_KINDS,
        "home": f"/usulan?lang={lang['lang']}",
    }


def _failure(exc: DomainError, context: dict, named: str = "") -> Response:
    """What the service refused, or could not answer, as a page that says what next."""
    _ = translator(context["lang"])
    back = {"href": context["home"], "text": _("Back to the suggestions")}
    status = status_of(exc) or 500
    if isinstance(exc, NotFound):
        note = _("There is no suggestion %(id)s. Find it in the list of suggestions.", id=named)
        return message(context, 404, _("Not found"), note, back=back)
    if exc.code in ("BAD_REQUEST", "PAYLOAD_TOO_LARGE"):  # the form, refused by the gateway
        note = _("The form sent was too large or damaged. Please fill it in again.")
        return message(context, status, _("The form could not be read"), note, back=back)
    if status < 500:
        note = _("Check the address, or start again from the list of suggestions.")
        return message(context, status, _("This could not be done"), note, back=back)
    note = _("Please try again later.")
    return message(context, status, _("The service is unavailable"), note, back=back)


def _branch_names(list_branches) -> dict:
    return branch_names(list_branches()["items"])


def list_page(request, list_suggestions, list_branches) -> Response:
    context = _context(request)
    _ = translator(context["lang"])
    wanted = {k: v for k, v in request.args.items() if v and k in ("kind", "status", "cursor")}
    back = {"href": context["home"], "text": _("Back to the first page")}
    try:
        found = list_suggestions({**wanted, "limit": PAGE_SIZE})
        names = _branch_names(list_branches)
    except ValidationFailed:
        note = _("The address asks for a filter or a page the list does not have. "
                 "Start again from the first page.")  # fmt: skip
        return message(context, 400, _("This list cannot be shown"), note, back=back)
    except DomainError as exc:
        return _failure(exc, context)
    if wanted.get("cursor") and not found["items"]:
        note = _("This page is past the end of the list. Start again from the first page.")
        return message(context, 404, _("There are no more suggestions"), note, back=back)
    filters = {k: v for k, v in wanted.items() if k != "cursor"}
    return page(
        "feedback/suggestions.html",
        form=True,  # its filter
        suggestions=found["items"],
        next_cursor=found["next_cursor"],
        filters=filters,
        branch_names=names,
        **context,
    )


def _form(context: dict, kind: str, names: dict, status: int = 200, **shown) -> Response:
    shown.setdefault("typed", {})
    shown.setdefault("errors", {})
    _ = translator(context["lang"])
    jenis = "&jenis=" + IDEA if kind == "programme" else ""
    return page(
        "feedback/suggest.html",
        status,
        form=True,
        kind=kind,
        heading=_("Suggest a programme idea") if kind == "programme" else _("Suggest a title"),
        branch_names=names,
        action=f"/usulan/baru?lang={context['lang']}{jenis}",
        **shown,
        **context,
    )


def _payload(kind: str, typed: dict) -> dict:
    """The suggestion as the service takes it: a field left empty is not sent."""
    given = {k: v for k, v in typed.items() if v}
    if "authors" in given:
        given["authors"] = [given["authors"]]
    return {"kind": kind, **given}


def new_page(request, submit, list_branches, read_form) -> Response:
    """GET: the form (filled in from PREFILL); POST: the suggestion, then its page."""
    context = _context(request)
    kind = "programme" if request.args.get("jenis") == IDEA else "collection"
    try:
        names = _branch_names(list_branches)
        if request.method == "GET":
            typed = {field: request.args.get(name, "").strip() for name, field in PREFILL.items()}
            return _form(context, kind, names, typed=typed if kind == "collection" else {})
        form = read_form()
    except DomainError as exc:
        return _failure(exc, context)
    typed = {field: form.get(field, "").strip() for field in FIELDS[kind]}
    try:
        made = submit(_payload(kind, typed))
    except (ValidationFailed, NotFound) as exc:
        errors = refusal(exc, typed, context["lang"])
        return _form(context, kind, names, 400, typed=typed, errors=errors)
    except DomainError as exc:
        return _failure(exc, context)
    _ = translator(context["lang"])
    thanks = _("Thank you! Your suggestion is in, with your vote. Share this page to gather more.")
    return _suggestion(context, made, names, 201, thanks=thanks)


def _suggestion(context: dict, suggestion: dict, names: dict, status=200, **shown) -> Response:
    shown.setdefault("typed", {})
    shown.setdefault("errors", {})
    shown.setdefault("thanks", "")
    return page(
        "feedback/suggestion.html",
        status,
        form=suggestion["status"] == "submitted",
        suggestion=suggestion,
        branch_names=names,
        shelves=", ".join(names.get(code, code) for code in suggestion["shelved_at"]),
        action=f"/usulan/{suggestion['id']}?lang={context['lang']}",
        **shown,
        **context,
    )


def suggestion_page(request, suggestion_id: str, get, list_branches) -> Response:
    context = _context(request)
    try:
        return _suggestion(context, get(suggestion_id), _branch_names(list_branches))
    except DomainError as exc:
        return _failure(exc, context, suggestion_id)


def vote_page(request, suggestion_id: str, vote, get, list_branches, read_form) -> Response:
    """A card's vote; refused, the suggestion's page again with the reason by the field."""
    context = _context(request)
    _ = translator(context["lang"])
    try:
        names = _branch_names(list_branches)
        form = read_form()
    except DomainError as exc:
        return _failure(exc, context, suggestion_id)
    typed = {field: form.get(field, "").strip() for field in VOTE_FIELDS}
    try:
        backed = vote(suggestion_id, {k: v for k, v in typed.items() if v})
    except (ValidationFailed, Conflict) as exc:
        errors = refusal(exc, typed, context["lang"])
        if isinstance(exc, Conflict) and FORM in errors:  # decided: no form, its reason stays
            back = {"href": f"/usulan/{suggestion_id}?lang={context['lang']}",
                    "text": _("See the suggestion")}  # fmt: skip
            return message(context, 409, _("Votes are closed"), errors[FORM], back=back)
        try:
            suggestion = get(suggestion_id)
        except DomainError as again:
            return _failure(again, context, suggestion_id)
        status = status_of(exc)
        return _suggestion(context, suggestion, names, status, typed=typed, errors=errors)
    except DomainError as exc:
        return _failure(exc, context, suggestion_id)
    thanks = _("Your vote is counted. Thank you!")
    return _suggestion(context, backed, names, thanks=thanks)
