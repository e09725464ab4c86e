"""The service tier's fixtures: the configuration on a fresh vhost of the real
broker, a catalogue database migrated by Alembic for a service to run on, and a
plain AMQP subscriber (kombu, not nameko) to see what reaches the broker."""

import pytest

from tests.support import Subscriber


@pytest.fixture
def config(base_config, rabbit_config):
    """base_config on a fresh vhost of the real broker."""
    return {**base_config, "AMQP_URI": rabbit_config["AMQP_URI"]}


@pytest.fixture
def catalog_config(config, migrated_url):
    """Config whose catalogue database is migrated to head (SQLite, then PostgreSQL)."""
    return {**config, "catalog": {"DATABASE_URL": migrated_url("catalog")}}


@pytest.fixture
def subscriber(config):
    sub = Subscriber(config["AMQP_URI"])
    yield sub
    sub.close()
