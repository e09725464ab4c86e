"""Alembic, one history per part, run as a step of its own before services start
(`pustaka migrate`), never by each replica at start-up.

A part's history lives in its own migrations/versions/. The tables every reliable part has
beside its own (the outbox, applied events: tables.py) have one shared history in
reliability_versions/, a branch that each reliable part's database takes as well:
a change to them is written once, not copied into each service.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command, context
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from .config import database_url
from .db import make_engine
from .part import Part

SHARED_VERSIONS = Path(__file__).with_name("reliability_versions")
# One env.py and script.py.mako serve every part: a part's migrations/ holds its versions only.
SCRIPTS = Path(__file__).with_name("alembic")


def alembic_config(part: Part, url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    locations = [part.directory / "migrations" / "versions"]
    if part.reliable:
        locations.append(SHARED_VERSIONS)
    # A separator no path holds, so a path with spaces or colons stays whole.
    cfg.set_main_option("path_separator", "newline")
    cfg.set_main_option("version_locations", "\n".join(str(p) for p in locations))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["part"] = part
    return cfg


def upgrade(part: Part, config: dict, revision: str = "heads") -> str:
    """Bring the part's database to `revision` (every branch's head by default);
    returns the database URL."""
    url = database_url(config, part.name)
    command.upgrade(alembic_config(part, url), revision)
    return url


def downgrade(part: Part, config: dict, revision: str) -> None:
    """Take the part's database back to `revision` (an operator's way out)."""
    command.downgrade(alembic_config(part, database_url(config, part.name)), revision)


def revisions(part: Part, config: dict) -> tuple[set[str], set[str]]:
    """(the heads this code knows that the database has reached, all those heads):
    equal when the database needs no migration. A head counts as reached when the
    database is at it or past it (the shared branch's head is an ancestor of the
    part's own 0001, which depends on it)."""
    url = database_url(config, part.name)
    script = ScriptDirectory.from_config(alembic_config(part, url))
    heads = set(script.get_heads())
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_heads()
    finally:
        engine.dispose()
    reached = {r.revision for r in script.revision_map.iterate_revisions(current, "base")}
    return heads & reached, heads


def run_env() -> None:
    """The body of every part's migrations/env.py."""
    cfg = context.config
    metadata = cfg.attributes["part"].models().metadata
    url = cfg.get_main_option("sqlalchemy.url")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(url)
    with engine.connect() as conn:
        context.configure(
            connection=conn,
            target_metadata=metadata,
            render_as_batch=conn.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
