"""Alembic, one history per service, run as a step of its own before services start
(`pustaka migrate`), never by each replica at start-up."""

from __future__ import annotations

import importlib

from alembic import command, context
from alembic.config import Config

from .config import COMPONENTS, ROOT, database_url, load_config
from .db import make_engine


def alembic_config(service: str, url: str) -> Config:
    package_dir = ROOT.joinpath(*COMPONENTS[service].split("."))
    cfg = Config()
    cfg.set_main_option("script_location", str(package_dir / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["service"] = service
    return cfg


def upgrade(service: str, config: dict | None = None, revision: str = "head") -> str:
    """Bring the service's database to `revision`; returns the database URL."""
    url = database_url(config or load_config(), service)
    command.upgrade(alembic_config(service, url), revision)
    return url


def downgrade(service: str, config: dict, revision: str) -> None:
    """Take the service's database back to `revision` (an operator's way out)."""
    command.downgrade(alembic_config(service, database_url(config, service)), revision)


def run_env() -> None:
    """The body of every service's migrations/env.py."""
    cfg = context.config
    service = cfg.attributes["service"]
    metadata = importlib.import_module(f"{COMPONENTS[service]}.models").Base.metadata
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
