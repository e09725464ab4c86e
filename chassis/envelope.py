"""The event envelope: CloudEvents 1.0 attributes around the event's data."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

SPECVERSION = "1.0"
REQUIRED = ("specversion", "id", "source", "type", "time", "subject", "dataschema", "data")


class BadEnvelope(ValueError):
    pass


def make_envelope(
    service: str, event_type: str, subject: str, data: dict, version: int = 1
) -> dict:
    return {
        "specversion": SPECVERSION,
        "id": str(uuid.uuid4()),
        "source": f"/services/{service}",
        "type": f"{service}.{event_type}",
        "time": datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z"),
        "subject": str(subject),
        "dataschema": f"{service}.{event_type}/v{version}",
        "datacontenttype": "application/json",
        "data": data,
    }


def check_envelope(body) -> dict:
    """Return the envelope if it has every required attribute, else raise BadEnvelope."""
    if not isinstance(body, dict):
        raise BadEnvelope(f"event body is {type(body).__name__}, not an envelope")
    missing = [key for key in REQUIRED if key not in body]
    if missing:
        raise BadEnvelope(f"envelope lacks {', '.join(missing)}")
    return body


def major_version(envelope: dict) -> int:
    """The major version its dataschema names (`catalog.title_created/v1`)."""
    try:
        return int(str(envelope["dataschema"]).rsplit("/v", 1)[1].split(".")[0])
    except (IndexError, ValueError) as exc:
        raise BadEnvelope(f"dataschema {envelope['dataschema']!r} names no version") from exc
