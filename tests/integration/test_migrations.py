"""Each part's Alembic history builds exactly the schema its models declare, on
SQLite and on PostgreSQL."""

import importlib

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from services.chassis.config import COMPONENTS
from services.chassis.db import make_engine
from services.chassis.migrations import upgrade


@pytest.mark.parametrize("part", sorted(COMPONENTS))
def test_migrations_match_models(part, base_config, database_url):
    config = {**base_config, part: {"DATABASE_URL": database_url}}
    upgrade(part, config)
    upgrade(part, config)  # running again changes nothing and does not fail
    metadata = importlib.import_module(f"{COMPONENTS[part]}.models").Base.metadata
    engine = make_engine(database_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn)
        diff = compare_metadata(context, metadata)
    engine.dispose()
    assert diff == []
