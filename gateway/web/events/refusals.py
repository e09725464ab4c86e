"""What the events service refuses on a public form, in the reader's words: the
service's field errors (ValidationFailed's details) mapped to the form's fields,
and its known refusals (already registered, not open, started, another branch's
code) to sentences a member of the public understands. The service's own messages
are for developers and are never shown.

A refusal is told apart by the details the service gives with it, never by its
message: a conflict on the contact (`field`), the registration window
(`registration_opens`, `registration_closes`), the occurrence's state (`status`),
another branch (`branch`)."""

from __future__ import annotations

from chassis.errors import Conflict, DomainError, Forbidden, NotFound, ValidationFailed
from gateway.web.shell.i18n import N_, translator
from gateway.web.shell.render import long_date

# The form's fields, by the name the service gives them, and their ids on the page
# (one form per occurrence: "<field>-<occurrence id>").
FIELDS = ("name", "contact", "age_group", "scope")
EMPTY = {
    "name": N_("Enter your name."),
    "contact": N_("Enter your mobile number or e-mail address."),
}
WRONG = {
    "name": N_("Write your name in at most 200 characters."),
    "contact": N_(
        "Enter a mobile number that starts with 08 or +628, like 0812 7400 1234, "
        "or an e-mail address, like nama@contoh.id."
    ),
    "age_group": N_("Choose an age group from the list."),
    "scope": N_("Choose this session only, or every session to come."),
}


def field_id(field: str, occurrence_id: str) -> str:
    return f"{field}-{occurrence_id}"


def registration_refusal(exc: DomainError, typed: dict, occurrence_id: str, lang: str):
    """The reasons to show on the registration form, by the id of the field they
    belong to (the form itself: "form-<occurrence>"), or None for a refusal that
    is not the form's (a service away, an occurrence that is not there)."""
    _ = translator(lang)
    form = f"form-{occurrence_id}"
    if isinstance(exc, ValidationFailed):
        errors = {}
        for field in exc.details.get("fields", {}):
            if field in FIELDS:
                text = EMPTY.get(field) if not typed.get(field) else None
                errors[field_id(field, occurrence_id)] = _(text or WRONG[field])
            else:
                errors[form] = _("Check what you entered, then send the form again.")
        return errors or {form: _("Check what you entered, then send the form again.")}
    if isinstance(exc, Conflict):
        details = exc.details
        if details.get("field") == "contact":
            text = _(
                "This mobile number or e-mail address is already registered for this "
                "session. Open the link of your first registration to see it."
            )
            return {field_id("contact", occurrence_id): text}
        if "registration_opens" in details:
            when = _when(details["registration_opens"], lang)
            return {form: _("Registration for this session opens on %(when)s.", when=when)}
        if "registration_closes" in details:
            when = _when(details["registration_closes"], lang)
            return {form: _("Registration for this session closed on %(when)s.", when=when)}
        if "status" in details:
            return {form: _("This session takes no registrations: it was cancelled or has ended.")}
        # the occurrence has started, or the same person registered at the same moment
        return {
            form: _(
                "This session takes no more registrations: it has started, or you are "
                "already registered for it."
            )
        }
    if isinstance(exc, Forbidden):
        return {form: _("This registration cannot be made here. Ask the library.")}
    return None


def _when(iso: str, lang: str) -> str:
    return f"{long_date(iso, lang)}, {iso[11:16]} WIB"


def door_refusal(exc: DomainError, code: str, branch_names: dict, lang: str) -> str:
    """Why the door cannot look up or let in `code`, for the librarian holding the
    tablet: the sentence beside the code field."""
    _ = translator(lang)
    if isinstance(exc, NotFound):
        return _(
            "No registration has the code %(code)s. Check the code and enter it again.", code=code
        )
    if isinstance(exc, Forbidden) and "branch" in exc.details:
        branch = exc.details["branch"]
        own = exc.details.get("caller_branch") or ""
        return _(
            "This code is for a programme at %(branch)s. This device checks people in at "
            "%(own)s only.",
            branch=branch_names.get(branch, branch),
            own=branch_names.get(own, own),
        )
    if isinstance(exc, Forbidden):
        return _("This key may not check people in. Sign in with a branch's key.")
    if isinstance(exc, Conflict) and "status" in exc.details:
        return _("This session's door is closed: it was cancelled or has ended.")
    if isinstance(exc, ValidationFailed):
        return _("Enter the 8-character code printed beside the QR code.")
    return _("This could not be done. Enter the code again.")
