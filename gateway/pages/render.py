"""Rendering a page: the templates, the language of the answer, and the headers every
page carries (its own strict Content-Security-Policy: no script, nothing from
elsewhere)."""

from __future__ import annotations

import datetime as dt
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from marshmallow import Schema, fields
from werkzeug.wrappers import Response

from ..edge.signin import FORM_FIELD, page_form_token

LANGUAGES = ("id", "en")  # Indonesian first
MONTHS = {
    "id": "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November "
    "Desember".split(),
    "en": "January February March April May June July August September October November "
    "December".split(),
}
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "style-src 'unsafe-inline'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
# A page with a form (a survey) posts to this gateway and nowhere else.
FORM_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace("form-action 'none'", "form-action 'self'")


class PageQuery(Schema):
    lang = fields.String(
        metadata={"enum": list(LANGUAGES), "description": "en for English; Indonesian else"}
    )


def language(request) -> str:
    """?lang=en for English; anything else is Indonesian, the page's own language."""
    wanted = request.args.get("lang", "id")
    return wanted if wanted in LANGUAGES else "id"


def common(request, texts: dict) -> dict:
    """What every page's template is given: its language and words (`texts`: per
    language), the other language's link, and the form token of a page signed in
    by cookie ("" else)."""
    lang = language(request)
    return {
        "lang": lang,
        "t": texts[lang],
        "other_lang": "en" if lang == "id" else "id",
        "path": request.path,
        "csrf": page_form_token(request),
    }


def long_date(value: str | None, lang: str) -> str:
    """An ISO date or time as a person reads it: 2 Maret 2026 / 2 March 2026."""
    if not value:
        return ""
    day = dt.date.fromisoformat(value[:10])
    return f"{day.day} {MONTHS[lang][day.month - 1]} {day.year}"


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("gateway.pages", "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["long_date"] = long_date
    # A page signed in by cookie: its forms carry the session's token; its sign-out button.
    env.globals["form_field"] = FORM_FIELD
    env.globals["sign_out"] = {"id": "Keluar", "en": "Sign out"}
    return env


def page(template: str, status: int = 200, *, form: bool = False, **context) -> Response:
    """A rendered page; `form`: it holds a form posting back to this gateway, as
    every page signed in by cookie does (`csrf`: its sign-out button)."""
    form = form or bool(context.get("csrf"))
    html = environment().get_template(template).render(**context)
    return Response(
        html,
        status=status,
        mimetype="text/html",
        headers={
            "Content-Security-Policy": FORM_SECURITY_POLICY if form else CONTENT_SECURITY_POLICY,
            "Cache-Control": "no-cache",
            "X-Content-Type-Options": "nosniff",
            # nothing to another host; this one's own forms say they are its own
            # (Origin: gateway/edge/signin.py)
            "Referrer-Policy": "same-origin",
        },
    )
