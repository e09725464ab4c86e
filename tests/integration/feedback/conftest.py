"""Feedback's domain on a migrated database (SQLite, then PostgreSQL), with the
branch read model filled as the catalogue's events would fill it."""

import datetime as dt
import json

import pytest
from sqlalchemy import select

from services.chassis.context import Caller
from services.feedback.models import branches, outbox_table

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
sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def feedback_db(part_db):
    db = part_db("feedback")
    with db.transaction() as session:
        for code in ("SPN", "KMN", "PDT"):
            branches.seen(session, {"code": code, "name": f"Cabang {code}"})
    return db


def run(db, fn, *args, **kwargs):
    with db.transaction() as session:
        return fn(session, *args, **kwargs)


def read(db, fn, *args, **kwargs):
    with db.reading() as session:
        return fn(session, *args, **kwargs)


def emitted(db, event_type=None) -> list[dict]:
    with db.reading() as session:
        stmt = select(outbox_table.c.envelope).order_by(outbox_table.c.id)
        if event_type:
            stmt = stmt.where(outbox_table.c.event_type == event_type)
        return [json.loads(e) for e in session.scalars(stmt)]


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
