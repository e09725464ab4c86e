"""Insight's domain on a migrated database (SQLite, then PostgreSQL), with the branch
read model filled as the catalogue's events would fill it; and, for the read models,
the producing parts each on a database of its own."""

import pytest

from pustaka import platform
from services.insight.models import branches

from .helpers import BRANCHES


@pytest.fixture
def insight_db(part_db):
    db = part_db("insight")
    with db.transaction() as session:
        for code in BRANCHES:
            branches.seen(session, {"code": code, "name": f"Cabang {code}"})
    return db


@pytest.fixture
def own_db(base_config, tmp_path):
    """A part's database on an SQLite file of its own: own_db("catalog"). The read
    models' tests need several parts at once, each with its own tables."""
    opened = []

    def open_part(name: str, label: str = ""):
        url = f"sqlite:///{tmp_path / (name + label)}.db"
        config = {**base_config, name: {**base_config[name], "DATABASE_URL": url}}
        list(platform.migrate(config, [name]))
        opened.append(db := platform.database(config, platform.part(name)))
        return db

    yield open_part
    for db in opened:
        db.engine.dispose()
