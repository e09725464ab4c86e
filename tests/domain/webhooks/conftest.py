"""The webhook service's fixtures: its database migrated (SQLite, then PostgreSQL),
and settings with short timings that let a receiver on 127.0.0.1 (the `receiver`
fixture, tests/conftest.py) be an endpoint."""

from dataclasses import replace

import pytest

from services.webhooks.dispatch import Dispatcher
from services.webhooks.settings import Settings


@pytest.fixture
def settings(base_config) -> Settings:
    return replace(
        Settings.from_config(base_config),
        allow_private_urls=True,
        retry_base_seconds=0.001,
        retry_cap_seconds=0.01,
        timeout_seconds=3,
    )


@pytest.fixture
def webhooks_db(part_db):
    return part_db("webhooks")


@pytest.fixture
def dispatcher(webhooks_db, settings):
    made = []

    def make(**changes) -> Dispatcher:
        made.append(d := Dispatcher(webhooks_db.transaction, replace(settings, **changes)))
        return d

    yield make
    for d in made:
        d.close()
