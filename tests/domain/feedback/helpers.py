"""Feedback's test data: the callers, a programme idea, an event completed, and
the mark for tests where the database makes no difference."""

import datetime as dt

import pytest

from chassis.context import Caller
from tests.support import emitted, read, run  # noqa: F401 (the tests import them from here)

ADMIN = Caller("k-hq", "admin")
KMN = Caller("k-kmn", "branch", branch="KMN")
SPN = Caller("k-spn", "branch", branch="SPN")
UNJA = Caller("k-unja", "partner", partner="UNJA")
OTHER_PARTNER = Caller("k-iain", "partner", partner="IAIN")
TODAY = dt.date(2026, 11, 20)
# A programme idea, as the community suggests one.
IDEA = {
    "kind": "programme",
    "member": "SPN-2022-0042",
    "programme_type": "storytime",
    "topic": "Dongeng Kerinci untuk anak",
    "audience": "children",
    "branch": "SPN",
}
# For tests where the database makes no difference: SQLite only (CI time).
sqlite_only = pytest.mark.parametrize("database_kind", ["sqlite"])


def completed_event(occurrence="OCC000001", attendees=("REG000001", "REG000002", "REG000003")):
    """events' event_completed as the consumer's schema reads it."""
    return {
        "occurrence_id": occurrence,
        "programme_id": "EVT000001",
        "title": "Bedah buku: Laskar Pelangi",
        "branch": "KMN",
        "ends_at": dt.datetime(2026, 11, 14, 11, 0, tzinfo=dt.UTC),
        "partners": ["UNJA"],
        "attendees": list(attendees),
    }
