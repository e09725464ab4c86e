"""Each part's Alembic history builds exactly the schema its models declare, on
SQLite and on PostgreSQL."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from chassis.db import make_engine
from chassis.migrations import downgrade, revisions, upgrade
from pustaka import platform


def schema_differences(part: str, url: str) -> list:
    metadata = platform.part(part).models().metadata
    engine = make_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    return diff


@pytest.mark.parametrize("part", [p.name for p in platform.parts()])
def test_migrations_match_models(part, base_config, database_url):
    config = {**base_config, part: {"DATABASE_URL": database_url}}
    upgrade(platform.part(part), config)
    upgrade(platform.part(part), config)  # running again changes nothing and does not fail
    assert schema_differences(part, database_url) == []
    current, heads = revisions(platform.part(part), config)
    assert current == heads
    # A reliable part takes the shared branch of the outbox tables too.
    assert ("r0001" in current or len(heads) > 1) == platform.part(part).reliable


def test_a_database_made_before_the_shared_branch_keeps_its_outbox(base_config, database_url):
    """The catalogue's own 0001 made the outbox tables until they moved to the shared
    branch: such a database takes the branch without losing a row."""
    catalog = platform.part("catalog")
    config = {**base_config, "catalog": {"DATABASE_URL": database_url}}
    upgrade(catalog, config)
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM alembic_version WHERE version_num = 'r0001'"))
        conn.execute(
            text(
                "INSERT INTO outbox (event_id, event_type, envelope, created_at)"
                " VALUES ('e-1', 't', '{}', 0)"
            )
        )
    upgrade(catalog, config)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT event_id FROM outbox")).scalars().all() == ["e-1"]
    engine.dispose()
    assert schema_differences("catalog", database_url) == []


def test_the_search_index_migration_goes_back_to_full_text_and_forward_again(
    base_config, database_url
):
    from chassis.context import SYSTEM
    from chassis.db import open_database
    from services.catalog import postings, titles
    from services.catalog.contract import TITLE_ID
    from services.catalog.models import Base
    from services.catalog.text import Term

    catalog = platform.part("catalog")
    config = {**base_config, "catalog": {"DATABASE_URL": database_url}}
    upgrade(catalog, config)
    db = open_database(database_url, Base.metadata)
    with db.transaction() as session:
        seq = TITLE_ID.parse(
            titles.create_title(session, {"title": "Sejarah Kerinci"}, SYSTEM)["id"]
        )
    db.engine.dispose()

    downgrade(catalog, config, "0005")
    engine = make_engine(database_url)
    with engine.connect() as conn:
        assert "search_postings" not in inspect(conn).get_table_names()
        if conn.dialect.name == "sqlite":
            found = "SELECT rowid FROM titles_fts WHERE titles_fts MATCH 'kerinci'"
        else:
            found = "SELECT seq FROM titles WHERE search_vector @@ to_tsquery('simple', 'kerinci')"
        assert conn.execute(text(found)).scalars().all() == [seq]
    engine.dispose()

    upgrade(catalog, config)
    assert schema_differences("catalog", database_url) == []
    db = open_database(database_url, Base.metadata)
    with db.reading() as session:
        assert list(postings.matching(session, [Term("kerinci")])) == [seq]
    db.engine.dispose()
