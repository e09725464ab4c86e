"""The chassis' own tests run on the example part (tests/example_part), not on any
service of the platform: what they prove holds for every part."""

import pytest

from chassis.migrations import upgrade
from pustaka import platform
from tests.example_part.part import PART as EXAMPLE


@pytest.fixture
def example_config(config, database_url):
    """Config whose example database is migrated to head (SQLite, then PostgreSQL)."""
    config = {**config, "example": {"DATABASE_URL": database_url}}
    upgrade(EXAMPLE, config)
    return config


@pytest.fixture
def example_db(example_config):
    db = platform.database(example_config, EXAMPLE)
    yield db
    db.engine.dispose()
