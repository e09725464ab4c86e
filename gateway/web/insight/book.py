"""The visitors' book at a branch's entrance (/buku-tamu), on a tablet signed in once
with the branch's key: a visitor taps why they came and their age group, types
their library card number if they like, and sees it counted; and the day's count
made by hand (/buku-tamu/hitungan). The service decides what is kept and refuses
what is wrong; a refusal of a field shows the form again with the reason beside it,
in the reader's words, and nothing kept."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from werkzeug.wrappers import Response

from chassis.errors import ValidationFailed
from gateway.web.shell.i18n import N_, translator
from gateway.web.shell.render import common, message, page
from services.insight.contract import AGE_GROUPS, PURPOSES

WIB = ZoneInfo("Asia/Jakarta")  # the library's day, as the service counts it
OFFERED_AGES = tuple(a for a in AGE_GROUPS if a != "unknown")  # unknown: none tapped
REASONS = {
    "purpose": N_("Tap why you came."),
    "age_group": N_("Tap an age group."),
    "card": N_("A library card number has 3 to 40 characters. Check it, or leave it empty."),
    "day": N_("Enter a day that has begun, as a date."),
    "counts": N_("Enter at least one count, each a whole number from 0 to 100000."),
    "branch": N_("Choose a branch."),
}


def _reasons(exc: ValidationFailed, lang: str) -> dict:
    """The service's refusal by field, in the reader's words (its own are for
    developers): {field: reason}."""
    _ = translator(lang)
    wrong = (exc.details or {}).get("fields") or {}
    return {f: _(REASONS[f]) for f in REASONS if f in wrong} or {"purpose": _(REASONS["purpose"])}


def _branch(wanted: str | None, branches: list) -> dict | None:
    """The branch whose book this is: a branch key's own, else the one the page's
    `branch` names among those the caller may write (headquarters chooses)."""
    if len(branches) == 1:
        return branches[0]
    return next((b for b in branches if b["code"] == wanted), None)


def _choose_branch(request, branches: list, context: dict) -> Response:
    _ = translator(context["lang"])
    if not branches:
        note = _("No branch is known yet. Try again in a minute.")
        return message(context, 503, _("The visitors' book is not ready"), note)
    return page("insight/choose_branch.html", branches=branches, **context)


def book_page(request, list_branches, status: int = 200, **shown) -> Response:
    context = common(request)
    branches = list_branches()["items"]
    branch = _branch(request.args.get("branch"), branches)
    if branch is None:
        return _choose_branch(request, branches, context)
    shown.setdefault("errors", {})
    shown.setdefault("typed", {})
    shown.setdefault("done", None)
    return page(
        "insight/book.html",
        status,
        form=True,
        branch=branch,
        purposes=PURPOSES,
        ages=OFFERED_AGES,
        **shown,
        **context,
    )


def record_visit_page(request, read_form, record_visit, list_branches) -> Response:
    form = read_form()
    branches = list_branches()["items"]
    branch = _branch(form.get("branch") or request.args.get("branch"), branches)
    if branch is None:
        return _choose_branch(request, branches, common(request))
    typed = {
        "branch": branch["code"],
        "purpose": form.get("purpose", ""),
        "age_group": form.get("age_group") or "unknown",
        "card": form.get("card", "").strip() or None,
    }
    try:
        done = record_visit(typed)
    except ValidationFailed as exc:
        errors = _reasons(exc, common(request)["lang"])
        return book_page(request, lambda: {"items": [branch]}, 400, errors=errors, typed=typed)
    return book_page(request, lambda: {"items": [branch]}, done=done)


def _today() -> dt.date:
    return dt.datetime.now(WIB).date()


def headcount_page(request, list_branches, status: int = 200, **shown) -> Response:
    context = common(request)
    branches = list_branches()["items"]
    branch = _branch(request.args.get("branch"), branches)
    if branch is None:
        return _choose_branch(request, branches, context)
    shown.setdefault("errors", {})
    shown.setdefault("typed", {"day": _today().isoformat()})
    shown.setdefault("done", None)
    return page(
        "insight/headcount.html",
        status,
        form=True,
        branch=branch,
        purposes=PURPOSES,
        ages=AGE_GROUPS,
        **shown,
        **context,
    )


def _counts(form) -> list | None:
    """Each count typed (purpose, age group, number); None if one is no whole number."""
    counts = []
    for purpose in PURPOSES:
        for age in AGE_GROUPS:
            raw = form.get(f"count-{purpose}-{age}", "").strip()
            if not raw:
                continue
            if not (raw.isascii() and raw.isdigit()):
                return None
            counts.append({"purpose": purpose, "age_group": age, "count": int(raw)})
    return counts


def record_headcount_page(request, read_form, record_headcount, list_branches) -> Response:
    form = read_form()
    branches = list_branches()["items"]
    branch = _branch(form.get("branch") or request.args.get("branch"), branches)
    if branch is None:
        return _choose_branch(request, branches, common(request))
    typed = dict(form.items())
    counts = _counts(form)
    again = lambda: {"items": [branch]}  # noqa: E731 (the branch already read)
    try:
        if counts is None:
            raise ValidationFailed("counts", {"fields": {"counts": ["not a whole number"]}})
        payload = {"branch": branch["code"], "day": form.get("day"), "counts": counts}
        done = record_headcount(payload)
    except ValidationFailed as exc:
        errors = _reasons(exc, common(request)["lang"])
        return headcount_page(request, again, 400, errors=errors, typed=typed)
    return headcount_page(request, again, done=done)
