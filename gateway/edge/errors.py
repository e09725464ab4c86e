"""The one error table: exception class → HTTP status and code. Every error leaves
the gateway as {"error": CODE, "message": ..., "details": {...}}."""

from __future__ import annotations

import csv
import io
import json
import logging

from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from chassis.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Gone,
    NotFound,
    Unprocessable,
    ValidationFailed,
)

log = logging.getLogger(__name__)


class GatewayError(DomainError):
    pass


class BadRequest(GatewayError):
    code = "BAD_REQUEST"


class Unauthenticated(GatewayError):
    code = "UNAUTHENTICATED"


class PayloadTooLarge(GatewayError):
    code = "PAYLOAD_TOO_LARGE"


class RateLimited(GatewayError):
    code = "RATE_LIMITED"
    retry_after = 1  # seconds, for the Retry-After header


class ServiceUnavailable(GatewayError):
    code = "SERVICE_UNAVAILABLE"


class Busy(ServiceUnavailable):
    """Keyless requests are over their share of this gateway process's workers: a
    503 at once, the workers left being the keys' (auth.py, KeyStore.keyless)."""

    code = "BUSY"


class DeadlineExceeded(GatewayError):
    code = "DEADLINE_EXCEEDED"


ERROR_TABLE: dict[type[Exception], int] = {
    BadRequest: 400,
    ValidationFailed: 400,
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    Gone: 410,
    PayloadTooLarge: 413,
    Unprocessable: 422,
    RateLimited: 429,
    ServiceUnavailable: 503,
    DeadlineExceeded: 504,
}


def json_response(data, status: int = 200, headers: dict | None = None) -> Response:
    return Response(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        status=status,
        headers=headers,
        mimetype="application/json",
    )


def _inert(cell):
    """A text cell a spreadsheet would run as a formula (=, +, -, @ first) is
    quoted with an apostrophe: an exported name must not become a command."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@"):
        return "'" + cell
    return cell


def csv_response(rows: list[list], filename: str) -> Response:
    """A table as CSV (a header row first), in UTF-8 with a byte-order mark, so a
    spreadsheet opened by double-click reads Indonesian names right."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([map(_inert, row) for row in rows])
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def xml_response(xml: str, status: int = 200) -> Response:
    return Response(xml, status=status, mimetype="application/xml")


def status_of(exc: Exception) -> int | None:
    """The status the table gives an error (by its class or a base), None if none."""
    return next((ERROR_TABLE[cls] for cls in type(exc).__mro__ if cls in ERROR_TABLE), None)


def error_response(exc: Exception) -> Response:
    status = status_of(exc)
    if status is not None:
        body = {"error": exc.code, "message": str(exc), "details": exc.details}
        retry = getattr(exc, "retry_after", 1)
        headers = {"Retry-After": str(retry)} if status in (429, 503) else None
        if status == 401:
            headers = {"WWW-Authenticate": 'Bearer realm="pustaka"'}
        return json_response(body, status, headers)
    if isinstance(exc, HTTPException) and exc.code and not isinstance(exc, InternalServerError):
        code = exc.name.upper().replace(" ", "_")
        body = {"error": code, "message": exc.description, "details": {}}
        allowed = getattr(exc, "valid_methods", None)  # a 405 says what the URL takes
        return json_response(body, exc.code, {"Allow": ", ".join(allowed)} if allowed else None)
    log.error("unexpected error", exc_info=exc)
    body = {"error": "INTERNAL", "message": "An unexpected error occurred.", "details": {}}
    return json_response(body, 500)
