"""Integration fixtures: a catalogue database migrated by Alembic, and a plain
AMQP subscriber (kombu, not nameko) to see what reaches the broker."""

import pytest

from pustaka import platform
from tests.support import Subscriber


@pytest.fixture
def catalog_config(config, database_url):
    """Config whose catalogue database is migrated to head (SQLite, then PostgreSQL)."""
    config = {**config, "catalog": {"DATABASE_URL": database_url}}
    list(platform.migrate(config, ["catalog"]))
    return config


@pytest.fixture
def subscriber(config):
    sub = Subscriber(config["AMQP_URI"])
    yield sub
    sub.close()
