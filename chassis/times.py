"""Times as the API and events show them: ISO 8601 in UTC. Stored as epoch seconds."""

from __future__ import annotations

from datetime import UTC, datetime


def iso_time(epoch: float) -> str:
    """An epoch as the ISO 8601 UTC time the API and events show."""
    return datetime.fromtimestamp(epoch, UTC).isoformat()


def iso_time_or_none(epoch: float | None) -> str | None:
    return None if epoch is None else iso_time(epoch)
