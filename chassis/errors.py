"""Typed domain errors that survive the RPC hop.

Services raise only these classes (each with its code), so a caller always knows
what it got: the messaging adapter registers every one of them for the hop, and the
gateway maps each to one HTTP status in its error table. The args are (message,
details as a JSON text): nameko turns every argument's numbers and booleans into
strings on the way, and a client is owed `"free": 3`, not `"free": "3"`.
"""

from __future__ import annotations

import json


class DomainError(Exception):
    code = "ERROR"

    def __init__(self, message: str = "", details: dict | str | None = None):
        if isinstance(details, str):  # as it crossed the hop
            details = json.loads(details)
        self.message = message
        self.details = details or {}
        super().__init__(message, json.dumps(self.details, default=str))

    def __str__(self) -> str:
        return self.message


class NotFound(DomainError):
    code = "NOT_FOUND"


class Conflict(DomainError):
    code = "CONFLICT"


class Gone(DomainError):
    """It was there and is no more: a survey whose campaign has closed."""

    code = "GONE"


class ValidationFailed(DomainError):
    """Bad input; `details` maps field names to their messages."""

    code = "VALIDATION_FAILED"


def field_error(field: str, message: str) -> ValidationFailed:
    """A bad value in one field: the message names the field, and `details.fields`
    maps it to the reason, as a schema's validation errors do."""
    return ValidationFailed(f"{field}: {message}", {"fields": {field: [message]}})


class Forbidden(DomainError):
    code = "FORBIDDEN"


class Unprocessable(DomainError):
    """Well formed, but not to be done: a request id used again for other arguments."""

    code = "UNPROCESSABLE"


class NotYet(Exception):
    """An event names a record whose own event this part has not applied yet (two
    events travel apart and may be handled out of order): the handler fails, so it
    is retried with backoff (chassis/nameko/handlers.py), and the event is parked if
    that record never comes."""
