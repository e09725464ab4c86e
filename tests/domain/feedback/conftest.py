"""Feedback's domain on a migrated database (SQLite, then PostgreSQL), with the
branch read model filled as the catalogue's events would fill it."""

import pytest

from services.feedback.models import branches
from tests.support import seen_branches


@pytest.fixture
def feedback_db(part_db):
    db = part_db("feedback")
    with db.transaction() as session:
        seen_branches(session, branches)
    return db
