"""What the feedback service refuses on the suggestion and vote forms, in the reader's
words: its field errors (ValidationFailed's details) mapped to the form's fields, and
its conflicts (a card that voted already, a suggestion decided meanwhile) to sentences
a member of the public understands. A refusal is told apart by its details, never by
its message: the service's own messages are for developers and are never shown."""

from __future__ import annotations

from chassis.errors import Conflict, DomainError, ValidationFailed
from gateway.web.shell.i18n import N_, translator

FORM = "suggestion-form"  # a reason that is the whole form's, not one field's
EMPTY = {
    "title": N_("Enter the title of the book."),
    "topic": N_("Enter what the programme would be about."),
    "programme_type": N_("Choose a type of programme."),
    "audience": N_("Choose who the programme is for."),
    "branch": N_("Choose the branch where you would like it."),
    "member": N_("Enter your library card number."),
}
WRONG = {
    "title": N_("Write the title in at most 500 characters."),
    "topic": N_("Write what the programme would be about in at most 500 characters."),
    "authors": N_("Write the author's name in at most 200 characters."),
    "isbn": N_(
        "Enter the ISBN of 10 or 13 digits as printed on the book, like 978-602-03-3295-6, "
        "or leave it empty."
    ),
    "reason": N_("Write your reason in at most 2,000 characters."),
    "programme_type": N_("Choose a type of programme from the list."),
    "audience": N_("Choose who the programme is for from the list."),
    "branch": N_("Choose a branch from the list."),
    "member": N_("Enter your library card number as printed on the card (3 to 40 characters)."),
    "contact": N_(
        "Enter a mobile number that starts with 08 or +628, like 0812 7400 1234, "
        "or an e-mail address, like nama@contoh.id."
    ),
}


def refusal(exc: DomainError, typed: dict, lang: str) -> dict:
    """The reasons to show, by the id of the field they belong to (FORM: the form's)."""
    _ = translator(lang)
    if isinstance(exc, ValidationFailed):
        errors = {}
        for field in exc.details.get("fields", {}):
            if field in WRONG:
                empty = EMPTY.get(field) if not typed.get(field) else None
                errors[field] = _(empty or WRONG[field])
            else:
                errors[FORM] = _("Check what you entered, then send the form again.")
        return errors or {FORM: _("Check what you entered, then send the form again.")}
    if isinstance(exc, Conflict) and exc.details.get("member") == "voted":
        return {
            "member": _(
                "This library card has backed this suggestion already: each card counts once."
            )
        }
    if isinstance(exc, Conflict):
        return {FORM: _("This suggestion has been decided, so it takes no more votes.")}
    return {FORM: _("Check what you entered, then send the form again.")}
