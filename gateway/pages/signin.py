"""Signing in on the pages (/masuk): the form where a librarian types or pastes
their key once, what a keyed page answers in its place when there is no valid key
or cookie, the page of someone signed in (where to go, how to sign out), and what
a page answers when it is refused for another reason. The cookie and its checks
are the edge's (gateway/edge/signin.py)."""

from __future__ import annotations

import datetime as dt

from werkzeug.wrappers import Response

from chassis.context import Caller
from chassis.errors import DomainError

from ..edge.errors import RateLimited, Unauthenticated
from ..edge.signin import local_path
from ..sessions import SESSION_SECONDS
from .render import common, language, page

TEXT = {
    "id": {
        "title": "Masuk",
        "library": "Perpustakaan Kota Sungai Penuh",
        "other": "English",
        "key": "Kunci API",
        "note": "Tempel atau ketik kunci yang diberikan kantor pusat. Perangkat ini "
        "mengingatnya selama {hours} jam, sampai Anda keluar.",
        "submit": "Masuk",
        "needed": "Halaman ini untuk petugas: masuk dulu dengan kunci Anda.",
        "missing": "Masukkan kunci Anda.",
        "wrong": "Kunci tidak dikenal atau sudah dicabut. Periksa, lalu coba lagi.",
        "too_many": "Terlalu banyak permintaan dari perangkat ini. Tunggu sebentar, lalu "
        "coba lagi.",
        "signed_in": "Anda sudah masuk",
        "roles": {
            "admin": "Kantor pusat",
            "branch": "Cabang {branch}",
            "partner": "Mitra {partner}",
            "integrator": "Integrator",
        },
        "door": "Presensi di pintu",
        "overview": "Hasil survei tahun ini",
        "refused": "Tidak dapat diproses",
        "forbidden": "Tidak diizinkan",
        "not_found": "Tidak ditemukan",
        "unavailable": "Layanan sedang tidak tersedia, silakan coba lagi nanti",
    },
    "en": {
        "title": "Sign in",
        "library": "City Library of Sungai Penuh",
        "other": "Bahasa Indonesia",
        "key": "API key",
        "note": "Paste or type the key headquarters gave you. This device keeps it for "
        "{hours} hours, until you sign out.",
        "submit": "Sign in",
        "needed": "This page is for library staff: sign in with your key first.",
        "missing": "Enter your key.",
        "wrong": "The key is unknown or has been revoked. Check it and try again.",
        "too_many": "Too many requests from this device. Wait a moment, then try again.",
        "signed_in": "You are signed in",
        "roles": {
            "admin": "Headquarters",
            "branch": "Branch {branch}",
            "partner": "Partner {partner}",
            "integrator": "Integrator",
        },
        "door": "Check-in at the door",
        "overview": "This year's survey results",
        "refused": "This could not be done",
        "forbidden": "Not allowed",
        "not_found": "Not found",
        "unavailable": "The service is unavailable, please try again later",
    },
}
# What each role may open from the signed-in page (the routes' own roles decide).
STAFF = ("admin", "branch")


def sign_in_form(request, status: int = 200, problem: str = "", back: str = "") -> Response:
    """The form; `back`: the page to go back to once signed in (this one if none)."""
    context = {**common(request, TEXT), "csrf": ""}  # no one is signed in here
    note = context["t"]["note"].format(hours=SESSION_SECONDS // 3600)
    return page("signin.html", status, form=True, note=note, problem=problem, back=back, **context)


def wrong_key(request, exc: DomainError, back: str) -> Response:
    """The form again, saying why the key typed did not sign anyone in."""
    t = TEXT[language(request)]
    if isinstance(exc, RateLimited):
        answer = sign_in_form(request, 429, t["too_many"], back)
        answer.headers["Retry-After"] = "1"
        return answer
    return sign_in_form(request, 400, t["wrong"], back)


def signed_in_page(request, caller: Caller) -> Response:
    context = common(request, TEXT)
    who = context["t"]["roles"][caller.role].format(branch=caller.branch, partner=caller.partner)
    year = dt.date.today().year
    return page("signed_in.html", who=who, staff=caller.role in STAFF, year=year, **context)


def refused_page(request, exc: DomainError, status: int) -> Response:
    """What a page answers when it is refused: without a valid key or cookie, the
    sign-in form, which brings the browser back here; else the reason."""
    t = TEXT[language(request)]
    if isinstance(exc, Unauthenticated):
        # a form posted is not sent again: its page is opened afresh (GET)
        back = local_path(request.full_path.rstrip("?"), "")
        return sign_in_form(request, status, t["needed"], back)
    heading = {403: t["forbidden"], 404: t["not_found"]}.get(status, t["refused"])
    if status >= 500:
        heading = t["unavailable"]
    problem = t["too_many"] if isinstance(exc, RateLimited) else exc.message
    return page("refused.html", status, heading=heading, problem=problem, **common(request, TEXT))
