"""Community programmes' domain on a migrated database (SQLite, then PostgreSQL),
with the read models of branches and staff filled as the other services' events
would fill them."""

import pytest

from services.events import readmodels
from services.events.models import branches
from tests.support import seen_branches


@pytest.fixture
def events_db(part_db):
    db = part_db("events")
    with db.transaction() as session:
        seen_branches(session, branches)
        readmodels.staff_seen(
            session, {"id": "S000003", "name": "Rina Marlina", "branch": "SPN", "active": True}
        )
    return db
