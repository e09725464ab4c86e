"""Feedback's domain on a migrated database (SQLite, then PostgreSQL), with the
branch read model filled as the catalogue's events would fill it."""

import pytest

from services.feedback.models import branches


@pytest.fixture
def feedback_db(part_db):
    db = part_db("feedback")
    with db.transaction() as session:
        for code in ("SPN", "KMN", "PDT"):
            branches.seen(session, {"code": code, "name": f"Cabang {code}"})
    return db
