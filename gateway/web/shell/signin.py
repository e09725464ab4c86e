"""Signing in on the pages (/masuk): the form where a librarian types or pastes
their key once, what a keyed page answers in its place when there is no valid key
or cookie, the page of someone signed in (where to go, how to sign out), and what
a page answers when it is refused for another reason. The cookie and its checks
are the edge's (gateway/edge/signin.py)."""

from __future__ import annotations

import datetime as dt

from werkzeug.wrappers import Response

from chassis.api import BRANCH_KEYS
from chassis.context import Caller
from chassis.errors import DomainError
from gateway.edge.errors import RateLimited, Unauthenticated
from gateway.edge.signin import local_path
from gateway.sessions import SESSION_SECONDS

from .i18n import translator
from .render import common, language, message, page


def sign_in_form(
    request, status: int = 200, *, notice: str = "", error: str = "", back: str = ""
) -> Response:
    """The form; `notice`: why it is shown in place of a page; `error`: what is wrong
    with the key typed (both in the page's language); `back`: the page to go back
    to once signed in (this one if none)."""
    context = {**common(request), "csrf": ""}  # no one is signed in here
    return page(
        "shell/signin.html",
        status,
        form=True,
        hours=SESSION_SECONDS // 3600,
        notice=notice,
        errors={"key": error} if error else {},
        back=back,
        **context,
    )


def missing_key(request, back: str) -> Response:
    _ = translator(language(request))
    return sign_in_form(request, 400, error=_("Enter your key."), back=back)


def wrong_key(request, exc: DomainError, back: str) -> Response:
    """The form again, saying why the key typed did not sign anyone in."""
    _ = translator(language(request))
    if isinstance(exc, RateLimited):
        answer = sign_in_form(request, 429, error=_too_many(_), back=back)
        answer.headers["Retry-After"] = "1"
        return answer
    problem = _("The key is unknown or has been revoked. Check it and try again.")
    return sign_in_form(request, 400, error=problem, back=back)


def _too_many(_) -> str:
    return _("Too many requests from this device. Wait a moment, then try again.")


def signed_in_page(request, caller: Caller, branch_name: str | None = None) -> Response:
    """Who is signed in (a branch key by its branch's name where it is known), and the
    staff's pages for the roles that open them (BRANCH_KEYS: those pages' own)."""
    _ = translator(language(request))
    who = {
        "admin": _("Headquarters"),
        "branch": branch_name or _("Branch %(branch)s", branch=caller.branch),
        "partner": _("Partner %(partner)s", partner=caller.partner),
        "integrator": _("Integrator"),
    }[caller.role]
    year = dt.date.today().year
    return page(
        "shell/signed_in.html",
        who=who,
        staff=caller.role in BRANCH_KEYS,
        year=year,
        **common(request),
    )


def refused_page(request, exc: DomainError, status: int) -> Response:
    """What a page answers when it is refused: without a valid key or cookie, the
    sign-in form, which brings the browser back here; else the reason."""
    _ = translator(language(request))
    if isinstance(exc, Unauthenticated):
        # a form posted is not sent again: its page is opened afresh (GET)
        back = local_path(request.full_path.rstrip("?"), "")
        notice = _("This page is for library staff: sign in with your key first.")
        return sign_in_form(request, status, notice=notice, back=back)
    if status >= 500:
        heading = _("The service is unavailable, please try again later")
    else:
        heading = {403: _("Not allowed"), 404: _("Not found")}.get(
            status, _("This could not be done")
        )
    # The edge's reasons are for developers: a person is told what they can do.
    note = _too_many(_) if isinstance(exc, RateLimited) else _refusal_note(_, status)
    return message(common(request), status, heading, note, tone="revoked")


def _refusal_note(_, status: int) -> str:
    if status == 403:
        return _("This key may not do this. Open the page again, or sign in with another key.")
    if status == 404:
        return _("There is nothing at this address. Check the link.")
    if status >= 500:
        return _("Please try again later.")
    return _("Open the page again and send it once more.")
