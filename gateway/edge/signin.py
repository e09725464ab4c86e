"""Signing in on the pages: the cookie that stands for a key on the routes declared
page=True, and nowhere else (the JSON API takes the Authorization header only, so
it needs no defence against forged requests).

The cookie holds a session's random token, never the key (gateway/sessions.py):
HttpOnly (no script reads it), SameSite=Strict (no other site's link or form
sends it), Path=/, Secure where the library is reached over HTTPS, and it ends
with its session. A page's form posted with it carries the session's form token
too (`FORM_FIELD`), checked by the route (gateway/edge/http.py). The sign-in and
sign-out forms, which need no cookie, are refused from another site's page by
their Origin instead."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from werkzeug.wrappers import Response

from ..sessions import SESSION_SECONDS, form_token

COOKIE = "pustaka_masuk"
FORM_FIELD = "csrf"
SIGNED_IN = "pustaka.session"  # in a request's environ: the token of its verified cookie
# Where a sign-in may send the browser back to: a path on this gateway, never
# another host ("//host", "/\host") nor a line break into the headers.
_LOCAL_PATH = re.compile(r"/(?![/\\])[\x21-\x7e]*\Z")


def session_token(request) -> str:
    """The token of the request's cookie ("" if none)."""
    return request.cookies.get(COOKIE, "")


def page_form_token(request) -> str:
    """The form token for a page signed in by cookie, "" for one opened with the
    Authorization header (no cookie goes with its forms, so none is forged)."""
    token = request.environ.get(SIGNED_IN)
    return form_token(token) if token else ""


def set_cookie(response: Response, token: str, secure: bool) -> Response:
    response.set_cookie(
        COOKIE,
        token,
        max_age=SESSION_SECONDS,
        path="/",
        secure=secure,
        httponly=True,
        samesite="Strict",
    )
    return response


def clear_cookie(response: Response, secure: bool) -> Response:
    response.delete_cookie(COOKIE, path="/", secure=secure, httponly=True, samesite="Strict")
    return response


def same_origin(request) -> bool:
    """Whether a form was posted from this gateway's own page. A browser says where
    a request comes from: Sec-Fetch-Site, or else the page's Origin (real only for
    a page of this origin under the pages' Referrer-Policy: same-origin, "null"
    from any other). A client that is no browser sends neither, and carries no
    one's cookie. The host alone is compared: a proxy in front may speak HTTPS to
    the browser and HTTP to the gateway."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in ("same-origin", "none")  # none: the person typed it
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.host


def local_path(wanted: str | None, default: str) -> str:
    return wanted if wanted and _LOCAL_PATH.match(wanted) else default
