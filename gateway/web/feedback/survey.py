"""The survey form a respondent's link opens: /s/<token> (an invitation's one-time
token, or a campaign's public link). It renders every question type as plain HTML
controls (no script), posts back to itself, and when the service refuses answers
shows, after GOV.UK's pattern, a summary at the top linking to each question to
correct and the reason beside it, every answer typed so far kept; then thanks the
respondent. Indonesian first; ?lang=en for English.

The scales and LibQUAL+ parts are the feedback contract's own (the service checks
answers against the same), their labels the message catalogues'."""

from __future__ import annotations

import re

from werkzeug.wrappers import Response

from chassis.errors import DomainError, Gone, NotFound, ValidationFailed
from gateway.web.shell.i18n import N_, translator
from gateway.web.shell.render import common, message, page
from services.feedback.contract import LIBQUAL_PARTS, SCALES

REFUSED = {"BAD_REQUEST": 400, "PAYLOAD_TOO_LARGE": 413}
# The service's reasons (templates.py), in words a respondent reads.
REASONS = [
    (r"An answer is required\.", N_("An answer is required.")),
    (
        r"(?:Must be from|Give a whole number from) (?P<low>\d+) to (?P<high>\d+)\.",
        N_("Choose a value from %(low)s to %(high)s."),
    ),
    (r"Give .+ too\.", N_("Give all three levels: the minimum, the desired and the perceived.")),
    (r"Choose .*", N_("Choose from the options given.")),
    (r"At most (?P<count>\d+) characters\.", N_("Write at most %(count)s characters.")),
]


def _message(context: dict, status: int, heading: str, note: str, tone="missing") -> Response:
    return message(context, status, heading, note, tone=tone)


def _refusal(exc: DomainError, context: dict) -> Response:
    _ = translator(context["lang"])
    if isinstance(exc, NotFound):
        note = _("This link leads to no survey. Check the link again.")
        return _message(context, 404, _("Survey not found"), note)
    if isinstance(exc, Gone):
        note = _("This survey no longer takes answers.")
        return _message(context, 410, _("The survey has closed"), note)
    if exc.code in REFUSED:  # the form itself, refused by the gateway
        note = _("The form sent was too large or damaged. Please fill it in again.")
        return _message(context, REFUSED[exc.code], _("The answers could not be read"), note)
    if exc.code == "CONFLICT":
        if exc.details.get("token") == "not_open":
            note = _("This survey does not take answers yet. Please come back later.")
            return _message(context, 409, _("The survey is not open yet"), note)
        note = _("This link can be used once, and it has been.")
        return _message(context, 409, _("The survey has been answered"), note)
    status = 504 if exc.code == "DEADLINE_EXCEEDED" else 503
    note = _("The survey cannot be opened right now. Please try again later.")
    return _message(context, status, _("The service is unavailable"), note)


def answers_of(questions: list[dict], form) -> dict:
    """The answers a posted form holds, shaped as the service takes them."""
    answers: dict = {}
    for q in questions:
        qid = q["id"]
        if q["type"] == "libqual":
            answers[qid] = {p: form.get(f"{qid}.{p}") or None for p in LIBQUAL_PARTS}
        elif q["type"] == "multiple":
            answers[qid] = form.getlist(qid)
        else:
            answers[qid] = form.get(qid) or None
    return answers


def reason(messages: list[str], _) -> str:
    """The service's reason for one answer, in the respondent's words."""
    said = messages[0] if messages else ""
    for pattern, text in REASONS:
        found = re.fullmatch(pattern, said)
        if found:
            return _(text, **found.groupdict())
    return _("This answer does not fit.")


def survey_page(request, token: str, form_of, submit, read_form) -> Response:
    """GET: the form; POST: the answers. `form_of(token)`: the service's SurveyForm;
    `submit(token, payload)`: its answer or error; `read_form(request)`: the posted
    fields (bounded)."""
    context = common(request)
    _ = translator(context["lang"])
    try:
        survey = form_of(token)
    except DomainError as exc:
        return _refusal(exc, context)
    questions = survey["template"]["questions"]
    values, errors, status = {}, {}, 200
    if request.method == "POST":
        try:
            values = answers_of(questions, read_form(request))
            submit(token, {"answers": values})
        except ValidationFailed as exc:
            fields = exc.details.get("fields", {})
            errors = {qid: reason(m, _) for qid, m in fields.items()}
            status = 400
        except DomainError as exc:
            return _refusal(exc, context)
        else:
            note = _("We have your answers; they will help us improve our services.")
            return _message(context, 200, _("Thank you!"), note, tone="valid")
    numbers = {q["id"]: i for i, q in enumerate(questions, 1)}
    summary = {  # anchor -> what to correct (one the form has no question for: the form)
        f"q-{qid}" if qid in numbers else "survey-form": _(
            "Question %(number)s: %(reason)s", number=numbers.get(qid, "-"), reason=text
        )
        for qid, text in errors.items()
    }
    return page(
        "feedback/survey.html",
        status,
        form=True,
        survey=survey,
        questions=questions,
        values=values,
        errors=errors,
        summary=summary,
        scales=SCALES,
        parts=LIBQUAL_PARTS,
        action=f"{request.path}?lang={context['lang']}",
        **context,
    )
