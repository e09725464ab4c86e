"""The domain tier's fixtures: a part's database migrated by Alembic, and nothing
else (no broker, no running service)."""

import pytest

from pustaka import platform


@pytest.fixture
def part_db(base_config, migrated_url):
    """A part's database, migrated (SQLite, then PostgreSQL): part_db("catalog")."""
    opened = []

    def open_part(name: str):
        url = migrated_url(name)
        config = {**base_config, name: {**base_config[name], "DATABASE_URL": url}}
        opened.append(db := platform.database(config, platform.part(name)))
        return db

    yield open_part
    for db in opened:
        db.engine.dispose()


@pytest.fixture
def catalog_db(part_db):
    """The catalogue's logic layer on a migrated database (SQLite, then PostgreSQL)."""
    return part_db("catalog")
