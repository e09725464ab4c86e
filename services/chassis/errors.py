"""Typed domain errors that survive the RPC hop.

Each is registered with nameko so the caller re-raises the same class (not a
RemoteError), and the gateway maps the class to one HTTP status in its error table.
The args are (message, details) so they serialise as plain JSON.
"""

from __future__ import annotations

from nameko.exceptions import deserialize_to_instance


class DomainError(Exception):
    code = "ERROR"

    def __init__(self, message: str = "", details: dict | None = None):
        super().__init__(message, details or {})
        self.message = message
        self.details = details or {}

    def __str__(self) -> str:
        return self.message


@deserialize_to_instance
class NotFound(DomainError):
    code = "NOT_FOUND"


@deserialize_to_instance
class Conflict(DomainError):
    code = "CONFLICT"


@deserialize_to_instance
class ValidationFailed(DomainError):
    """Bad input; `details` maps field names to their messages."""

    code = "VALIDATION_FAILED"


def field_error(field: str, message: str) -> ValidationFailed:
    """A bad value in one field: the message names the field, and `details.fields`
    maps it to the reason, as a schema's validation errors do."""
    return ValidationFailed(f"{field}: {message}", {"fields": {field: [message]}})


@deserialize_to_instance
class Forbidden(DomainError):
    code = "FORBIDDEN"
