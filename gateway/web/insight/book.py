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


def _choose_branch(context: dict, branches: list) -> Response:
    _ = translator(context["lang"])
    if not branches:
        note = _("No branch is known yet. Try again in a minute.")
        return message(context, 503, _("The visitors' book is not ready"), note)
    return page("insight/choose_branch.html", branches=branches, **context)


def _form(template: str, context: dict, branch: dict, status: int = 200, **shown) -> Response:
    """The book's or the count's form, for `branch`; `shown`: what was counted
    (`done`), the reasons by field (`errors`) and what was typed (`typed`)."""
    shown.setdefault("errors", {})
    shown.setdefault("typed", {})
    shown.setdefault("done", None)
    ages = AGE_GROUPS if template == "insight/headcount.html" else OFFERED_AGES
    return page(
        template, status, form=True, branch=branch, purposes=PURPOSES, ages=ages,
        **shown, **context,
    )  # fmt: skip


def _open(template: str, request, list_branches, **shown) -> Response:
    """A form opened: for the caller's one branch, or the one it chose."""
    context = common(request)
    branches = list_branches()["items"]
    branch = _branch(request.args.get("branch"), branches)
    if branch is None:
        return _choose_branch(context, branches)
    return _form(template, context, branch, **shown)


def _sent(request, read_form, list_branches, template: str, send, keep=False) -> Response:
    """A form sent: `send(branch, form)` the service's answer, shown above the form
    again (empty for the next visitor, or as typed where `keep`: a day's count to
    correct); a field refused: the form again with the reasons, what was typed kept."""
    context = common(request)
    form = read_form()
    branches = list_branches()["items"]
    branch = _branch(form.get("branch") or request.args.get("branch"), branches)
    if branch is None:
        return _choose_branch(context, branches)
    try:
        done = send(branch, form)
    except ValidationFailed as exc:
        errors = _reasons(exc, context["lang"])
        return _form(template, context, branch, 400, errors=errors, typed=dict(form.items()))
    return _form(template, context, branch, done=done, typed=dict(form.items()) if keep else {})


def book_page(request, list_branches) -> Response:
    return _open("insight/book.html", request, list_branches)


def record_visit_page(request, read_form, record_visit, list_branches) -> Response:
    def send(branch: dict, form) -> dict:
        return record_visit(
            {
                "branch": branch["code"],
                "purpose": form.get("purpose", ""),
                "age_group": form.get("age_group") or "unknown",
                "card": form.get("card", "").strip() or None,
            }
        )

    return _sent(request, read_form, list_branches, "insight/book.html", send)


def headcount_page(request, list_branches) -> Response:
    today = dt.datetime.now(WIB).date().isoformat()
    return _open("insight/headcount.html", request, list_branches, typed={"day": today})


def _counts(form) -> list:
    """Each count typed (purpose, age group, number); a refusal if one is no whole
    number (the service takes numbers only)."""
    counts = []
    for purpose in PURPOSES:
        for age in AGE_GROUPS:
            raw = form.get(f"count-{purpose}-{age}", "").strip()
            if not raw:
                continue
            if not (raw.isascii() and raw.isdigit()):
                raise ValidationFailed("counts", {"fields": {"counts": ["not a whole number"]}})
            counts.append({"purpose": purpose, "age_group": age, "count": int(raw)})
    return counts


def record_headcount_page(request, read_form, record_headcount, list_branches) -> Response:
    def send(branch: dict, form) -> dict:
        return record_headcount(
            {"branch": branch["code"], "day": form.get("day"), "counts": _counts(form)}
        )

    return _sent(request, read_form, list_branches, "insight/headcount.html", send, keep=True)
