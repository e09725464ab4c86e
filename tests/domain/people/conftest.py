"""People's domain on a migrated database (SQLite, then PostgreSQL), with the branch
read model filled as the catalogue's events would fill it."""

import pytest

from services.people.models import branches


@pytest.fixture
def people_db(part_db):
    db = part_db("people")
    with db.transaction() as session:
        for code in ("SPN", "KMN", "PDT"):
            branches.seen(session, {"code": code, "name": f"Cabang {code}"})
    return db
