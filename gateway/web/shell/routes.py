"""Signing in on the pages (/masuk, /keluar), and `refused_page`, what every page
answers when the edge refuses it (gateway/edge/http.py asks the service class).

A librarian's key, typed once on /masuk, becomes a cookie that opens the keyed
pages (the door, the results) in a plain browser. The mechanism is the edge's
(gateway/edge/signin.py, auth.py); the pages are signin.py here."""

from __future__ import annotations

import logging

from nameko.dependency_providers import Config
from werkzeug.utils import redirect

from chassis.errors import DomainError
from gateway.edge.auth import KeyStoreAccess
from gateway.edge.errors import BadRequest, RateLimited, Unauthenticated
from gateway.edge.http import PUBLIC, form_body, route
from gateway.edge.signin import clear_cookie, local_path, same_origin, session_token, set_cookie

from . import signin as pages
from .render import PageQuery, language

log = logging.getLogger(__name__)

NOT_FROM_HERE = "The form was sent from another site's page."


class SignInPages:
    config = Config()
    keys = KeyStoreAccess()

    refused_page = staticmethod(pages.refused_page)

    def _branch_name(self, code: str | None) -> str | None:
        """A branch's name, where a part's slice of this gateway knows the branches
        (`branch_names`: the catalogue's, from its cache); the shell names no part,
        and the page of who is signed in does without the name when it cannot get it."""
        names = getattr(self, "branch_names", None)
        if code is None or names is None:
            return None
        try:
            return names().get(code)
        except DomainError:
            log.warning("the branches' names could not be read for the signed-in page")
            return None

    def _secure(self, request) -> bool:
        """Whether the cookie is for HTTPS only: the request came over it, or the
        library is reached over it (PUBLIC_BASE_URL: a proxy in front speaks it;
        the gateway trusts no X-Forwarded-* header)."""
        return request.scheme == "https" or self.config["PUBLIC_BASE_URL"].startswith("https:")

    @route(
        "GET",
        "/masuk",
        roles=PUBLIC,
        summary="The sign-in page for librarians: a key typed once opens the keyed pages "
        "(the door, the results) in this browser; signed in, where to go and how to sign out.",
        query=PageQuery,
        tag="platform",
        page=True,
    )
    def sign_in_page(self, request):
        if session_token(request):
            try:
                caller, _ = self.keys.signed_in(request)
            except (Unauthenticated, RateLimited):
                pass  # over or forgotten: sign in again
            else:
                return pages.signed_in_page(request, caller, self._branch_name(caller.branch))
        return pages.sign_in_form(request)

    @route(
        "POST",
        "/masuk",
        roles=PUBLIC,
        summary="Sign in with a key (form field 'key'): a cookie standing for it, then back "
        "to the page that asked (field 'back'); a wrong key, the form again with the reason.",
        query=PageQuery,
        status=303,
        tag="platform",
        page=True,
    )
    def sign_in(self, request):
        if not same_origin(request):
            raise BadRequest(NOT_FROM_HERE)
        form = form_body(request)
        back = local_path(form.get("back"), f"/masuk?lang={language(request)}")
        key = form.get("key", "").strip()
        if not key:
            return pages.missing_key(request, back)
        try:
            _, token = self.keys.sign_in(key, request.remote_addr or "")
        except (Unauthenticated, RateLimited) as exc:
            return pages.wrong_key(request, exc, back)
        if session_token(request):  # signed in again: the session it replaces ends now
            self.keys.sign_out(session_token(request))
        return set_cookie(redirect(back, 303), token, self._secure(request))

    @route(
        "POST",
        "/keluar",
        roles=PUBLIC,
        summary="Sign out: the cookie is cleared and its session forgotten.",
        query=PageQuery,
        status=303,
        tag="platform",
        page=True,
    )
    def sign_out(self, request):
        if not same_origin(request):
            raise BadRequest(NOT_FROM_HERE)
        token = session_token(request)
        if token:
            self.keys.sign_out(token)
        answer = redirect(f"/masuk?lang={language(request)}", 303)
        return clear_cookie(answer, self._secure(request))
