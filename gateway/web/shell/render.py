"""Rendering a page: the templates (each slice's own, found by its name), the
language of the answer and its words (i18n.py), and the headers every page carries
(its own strict Content-Security-Policy: no script, nothing from elsewhere)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from urllib.parse import urlencode

from babel.dates import format_date
from jinja2 import BaseLoader, Environment, PackageLoader, StrictUndefined, select_autoescape
from marshmallow import Schema, fields
from werkzeug.wrappers import Response

from gateway.edge.http import routes_over
from gateway.edge.signin import FORM_FIELD, page_form_token

from .i18n import DEFAULT, LANGUAGES, NAMES, translations

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


def pages_over(contract):
    """The route decorator of a slice's pages: a route of routes_over(contract)
    answering with a page (its errors too), taking ?lang= unless another query is
    given, and no JSON body or answer."""
    route = routes_over(contract)

    def decorate(verb: str, url: str, roles=(), **options):
        options.setdefault("query", PageQuery)
        return route(verb, url, roles, page=True, body=None, response=None, **options)

    return decorate


def language(request) -> str:
    """?lang=en for English; anything else is Indonesian, the page's own language."""
    wanted = request.args.get("lang", DEFAULT)
    return wanted if wanted in LANGUAGES else DEFAULT


def common(request) -> dict:
    """What every page's template is given: its language, the other language's
    link (this page with what its address asked for, in that language), and the form
    token of a page signed in by cookie ("" else)."""
    lang = language(request)
    other = next(code for code in LANGUAGES if code != lang)
    asked = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return {
        "lang": lang,
        "other_lang": other,
        "other_name": NAMES[other],
        "path": request.path,
        "other_url": f"{request.path}?{urlencode([*asked, ('lang', other)])}",
        "csrf": page_form_token(request),
    }


def branch_names(branches: list[dict]) -> dict[str, str]:
    """{code: name} of a part's branch list: what a page shows a person (never a code)."""
    return {b["code"]: b["name"] for b in branches}


def long_date(value: str | None, lang: str) -> str:
    """An ISO date or time as a person reads it: 2 Maret 2026 / 2 March 2026."""
    if not value:
        return ""
    return format_date(dt.date.fromisoformat(value[:10]), "d MMMM y", locale=lang)


class SliceLoader(BaseLoader):
    """ "<slice>/<name>.html" is templates/<name>.html of the package gateway.web.<slice>:
    each slice keeps its own templates, and the shell needs no list of them."""

    @staticmethod
    @cache
    def _of(slice_name: str) -> PackageLoader:
        return PackageLoader(f"gateway.web.{slice_name}", "templates")

    def get_source(self, environment, template):
        slice_name, _, name = template.partition("/")
        return self._of(slice_name).get_source(environment, name)


@cache
def environment(lang: str) -> Environment:
    """One environment per language, its gettext installed: `{% trans %}`, `_()` and
    `pgettext()` in a template speak the page's language."""
    env = Environment(
        loader=SliceLoader(),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
        # The templates are the package's and do not change while it runs: not a
        # file's modification time read on every page (a 429 page under a flood).
        auto_reload=False,
    )
    env.policies["ext.i18n.trimmed"] = True  # as babel.cfg extracts them
    env.install_gettext_translations(translations(lang), newstyle=True)
    env.filters["long_date"] = long_date
    # A page signed in by cookie: its forms carry the session's token.
    env.globals["form_field"] = FORM_FIELD
    return env


def page(template: str, status: int = 200, *, form: bool = False, **context) -> Response:
    """A rendered page, in context["lang"]; `form`: it holds a form posting back to
    this gateway, as every page signed in by cookie does (`csrf`: its sign-out
    button)."""
    form = form or bool(context.get("csrf"))
    html = environment(context["lang"]).get_template(template).render(**context)
    return html_response(html, status, form=form)


def html_response(html: str, status: int = 200, *, form: bool = False) -> Response:
    """A page's HTML with the headers every page carries (a page kept ready-made,
    such as a public search's, is answered again through this)."""
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


def message(common: dict, status: int, heading: str, note: str = "", **more) -> Response:
    """A page that says one thing: a refusal, a thing not found, a service away, a
    thank-you. `tone`: the status colour (missing, revoked, valid); `back`: a link
    ({"href", "text"}) to go on from it."""
    more.setdefault("tone", "missing")
    more.setdefault("back", None)
    return page("shell/message.html", status, heading=heading, note=note, **common, **more)
