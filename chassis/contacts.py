"""A way to reach a person: an e-mail address or an Indonesian mobile number, checked
and written one way, so that a notifier gets an address it can use and the same
person typed twice is the same value.

A number is kept as E.164 (+6281274001234) however it was typed (0812-7400-1234,
+62 812 7400 1234, 62812...). Mobile numbers only (8 after the 0 or 62, 9 to 12
digits): a person is told by a message (WhatsApp, SMS), which a fixed line cannot
take. An e-mail keeps its local part as typed (it may be case-sensitive) and its
domain in lower case (which is not)."""

from __future__ import annotations

import re

from marshmallow import ValidationError, fields, validate

# What people put between digits: spaces, hyphens, dots, brackets around an area code.
_SEPARATORS = re.compile(r"[\s\-.()]")
_MOBILE = re.compile(r"8[0-9]{8,11}\Z")  # after the trunk 0 or the country code 62
_email = validate.Email(error="Not an e-mail address.")
PHONE_ERROR = "Not an Indonesian mobile number: write it as 08... or +628..."
MAX_EMAIL = 254  # RFC 5321's longest path


def normalise_contact(value: str) -> str:
    """The contact in its one spelling; ValidationError with the reason if it is
    neither an e-mail address nor an Indonesian mobile number."""
    value = value.strip()
    if "@" in value:
        if len(value) > MAX_EMAIL:
            raise ValidationError(f"An e-mail address has at most {MAX_EMAIL} characters.")
        _email(value)
        local, _, domain = value.rpartition("@")
        return f"{local}@{domain.lower()}"
    digits = _SEPARATORS.sub("", value)
    for prefix in ("+62", "62", "0"):
        if digits.startswith(prefix):
            national = digits[len(prefix) :]
            if _MOBILE.match(national):
                return f"+62{national}"
            break
    raise ValidationError(PHONE_ERROR)


def channel(contact: str) -> str:
    """How a normalised contact is reached: by e-mail or by phone."""
    return "email" if "@" in contact else "phone"


class Contact(fields.String):
    """A contact field: loads to its one spelling; blank is the same as absent (and
    so refused where the field is required)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if text.strip():
            return normalise_contact(text)
        if self.required:
            raise self.make_error("required")
        return None
