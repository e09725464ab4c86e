"""The service tier's fixtures: the configuration on a fresh vhost of the real
broker, a catalogue database migrated by Alembic for a service to run on, and a
plain AMQP subscriber (kombu, not nameko) to see what reaches the broker."""

import pytest

from pustaka import platform
from tests.support import Subscriber


@pytest.fixture
def config(base_config, rabbit_config):
    """base_config on a fresh vhost of the real broker."""
    return {**base_config, "AMQP_URI": rabbit_config["AMQP_URI"]}


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
