"""Insight's domain on a migrated database (SQLite, then PostgreSQL), with the branch
read model filled as the catalogue's events would fill it; and, for the read models,
the producing parts each on a database of its own."""

import datetime as dt

import pytest

from chassis.context import Caller
from pustaka import platform
from services.insight.models import branches
from tests.support import read, run  # noqa: F401 (the tests import them from here)

ADMIN = Caller("k-hq", "admin")
KMN = Caller("k-kmn", "branch", branch="KMN")
SPN = Caller("k-spn", "branch", branch="SPN")
PARTNER = Caller("k-unja", "partner", partner="UNJA")
INTEGRATOR = Caller("k-dash", "integrator")
BRANCHES = ("SPN", "KMN", "PDT")
# The tests' own clock: a fixed moment (14:00 WIB on 20 November 2026), passed in.
NOW = dt.datetime(2026, 11, 20, 7, 0, tzinfo=dt.UTC).timestamp()
TODAY = dt.date(2026, 11, 20)
sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


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
