"""Community programmes' public pages, for people with phones, with no script: the
calendar (/acara), a programme's page with a registration form per occurrence, the
form's answer (the participant's check-in code and its QR code), and the check-in
page at the door (/pintu, a branch key's), where a librarian enters or scans a code.

They call the events service through its contract (the callables passed in) and
carry no rule of their own. The filters' values are the contract's vocabulary and
the branches the service knows; their labels are the message catalogues'. What the
service refuses on a form is shown on the form again, after GOV.UK's pattern: a
summary at the top linking to each field, the reason beside the field in the
reader's words, and what was typed kept (refusals.py says which words)."""

from __future__ import annotations

import contextlib

import segno
from markupsafe import Markup
from werkzeug.wrappers import Response

from chassis.errors import DomainError, NotFound
from gateway.edge.errors import status_of
from gateway.web.shell.i18n import translator
from gateway.web.shell.render import branch_names, common, message, page
from services.events.contract import AGE_GROUPS, AUDIENCES, PROGRAMME_TYPES

from .refusals import door_refusal, registration_refusal


def _status(exc: DomainError) -> int:
    """The status the gateway's one error table gives the error."""
    return status_of(exc) or 500


def _context(request) -> dict:
    return {
        **common(request),
        "types": PROGRAMME_TYPES,
        "audiences": AUDIENCES,
        "age_groups": AGE_GROUPS,
    }


def _failure(exc: DomainError, context: dict, code: str = "") -> Response:
    """What the service refused, or could not answer, as a page with its reason."""
    _ = translator(context["lang"])
    back = {"href": f"/acara?lang={context['lang']}", "text": _("Back to the calendar")}
    if isinstance(exc, NotFound):
        note = _("There is no programme or code %(code)s.", code=code)
        return message(context, 404, _("Not found"), note, back=back)
    status = _status(exc)
    if status < 500:
        note = _("Check the address, or start again from the calendar.")
        return message(context, status, _("This could not be done"), note, back=back)
    note = _("Please try again later.")
    return message(context, status, _("The service is unavailable"), note, back=back)


def calendar_page(request, calendar, list_branches) -> Response:
    context = _context(request)
    wanted = {k: v for k, v in request.args.items() if v and k != "lang"}
    try:
        found = calendar(wanted)
        branches = list_branches()["items"]
    except DomainError as exc:
        return _failure(exc, context)
    return page(
        "events/calendar.html",
        form=True,  # its filter
        occurrences=found["items"],
        next_cursor=found["next_cursor"],
        wanted=wanted,
        branches=branches,
        branch_names=branch_names(branches),
        **context,
    )


def _branch_names(list_branches) -> dict:
    """{code: name} of the branches the service knows ({} while it cannot say)."""
    try:
        return branch_names(list_branches()["items"])
    except DomainError:
        return {}


def programme_page(request, programme_id: str, get, list_branches) -> Response:
    """A programme and its sessions; ?sesi= chooses the one whose form is shown (one
    taking registrations, as the service says)."""
    context = _context(request)
    try:
        programme = get(programme_id)
    except DomainError as exc:
        return _failure(exc, context, programme_id)
    asked = request.args.get("sesi")
    chosen = next(
        (o["id"] for o in programme["occurrences"] if o["id"] == asked and o["registration_open"]),
        None,
    )
    return _programme(context, programme, list_branches, occurrence_id=chosen)


def _programme(
    context: dict, programme: dict, list_branches, status: int = 200, **refused
) -> Response:
    """A programme's page; `refused`: the occurrence whose form is shown again
    (`occurrence_id`), the reasons by field (`errors`) and what was typed (`typed`)."""
    refused.setdefault("occurrence_id", None)
    refused.setdefault("errors", {})
    refused.setdefault("typed", {})
    return page(
        "events/programme.html",
        status,
        form=True,
        programme=programme,
        branch_names=_branch_names(list_branches),
        **refused,
        **context,
    )


def _qr(text: str) -> Markup:
    """A QR code as inline SVG: nothing fetched from anywhere."""
    return Markup(segno.make(text, error="m").svg_inline(scale=5, border=2))


def registered_page(
    request, occurrence_id: str, read_form, register, get, list_branches
) -> Response:
    """`read_form()`: the form's fields (or the gateway's refusal of the body);
    `get(programme_id)`: the programme, to show its form again when refused."""
    context = _context(request)
    try:
        form = read_form()
    except DomainError as exc:
        return _failure(exc, context, occurrence_id)
    typed = {
        "name": form.get("name", "").strip(),
        "contact": form.get("contact", "").strip(),
        "age_group": form.get("age_group") or None,
        "scope": form.get("scope") or "occurrence",
    }
    try:
        made = register(occurrence_id, typed)
    except DomainError as exc:
        errors = registration_refusal(exc, typed, occurrence_id, context["lang"])
        if errors is None:
            return _failure(exc, context, occurrence_id)
        programme = None
        if form.get("programme"):  # the form names its programme, to be shown again
            with contextlib.suppress(DomainError):
                programme = get(form["programme"])
        if programme is None or occurrence_id not in {o["id"] for o in programme["occurrences"]}:
            return _refused_alone(context, _status(exc), errors)
        return _programme(
            context,
            programme,
            list_branches,
            _status(exc),
            occurrence_id=occurrence_id,
            errors=errors,
            typed=typed,
        )
    _ = translator(context["lang"])
    heading = _("You are registered")
    return _registrations_page(request, made["items"], 201, heading, context, list_branches)


def _refused_alone(context: dict, status: int, errors: dict) -> Response:
    """The reasons, without the form (its programme cannot be shown again)."""
    _ = translator(context["lang"])
    back = {"href": f"/acara?lang={context['lang']}", "text": _("Back to the calendar")}
    note = " ".join(errors.values())
    heading = _("The registration could not be made")
    return message(context, status, heading, note, tone="revoked", back=back)


def ticket_page(request, code: str, get, list_branches) -> Response:
    """A registration by its code, for its holder to open again (no name or contact)."""
    context = _context(request)
    try:
        found = get(code)
    except DomainError as exc:
        return _failure(exc, context, code)
    _ = translator(context["lang"])
    heading = _("Your registration")
    return _registrations_page(request, [found], 200, heading, context, list_branches)


def _registrations_page(
    request, found: list, status: int, heading: str, context: dict, list_branches
) -> Response:
    """Each registration's state, code and QR (the door page's link with the code)."""
    door = request.host_url.rstrip("/") + "/pintu?code="
    items = [{**r, "qr": _qr(door + r["code"])} for r in found]
    return page(
        "events/registered.html",
        status,
        heading=heading,
        registrations=items,
        branch_names=_branch_names(list_branches),
        **context,
    )


def door_page(request, lookup, list_branches) -> Response:
    context = _context(request)
    code = request.args.get("code", "").strip().upper()
    found = None
    if code:
        try:
            found = lookup(code)
        except DomainError as exc:
            return _door_failure(exc, context, code, list_branches)
    return _door(context, code=code, found=found)


def checked_in_page(request, read_form, check_in, list_branches) -> Response:
    context = _context(request)
    code = ""
    try:
        code = read_form().get("code", "").strip().upper()
        answer = check_in(code)
    except DomainError as exc:
        return _door_failure(exc, context, code, list_branches)
    return _door(context, found=answer["registration"], outcome=answer["outcome"])


def _door(context: dict, status: int = 200, **shown) -> Response:
    shown.setdefault("code", "")
    shown.setdefault("found", None)
    shown.setdefault("outcome", None)
    shown.setdefault("errors", {})
    return page("events/door.html", status, form=True, **shown, **context)


def _door_failure(exc: DomainError, context: dict, code: str, list_branches) -> Response:
    """The code again, with the reason beside it; a service away: a page that says so."""
    status = _status(exc)
    if status >= 500:
        return _failure(exc, context, code)
    reason = door_refusal(exc, code, _branch_names(list_branches), context["lang"])
    return _door(context, status, code=code, errors={"code-input": reason})
