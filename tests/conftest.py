"""Fixtures shared by every tier. Real components: the RabbitMQ at --amqp-uri (a
fresh vhost per test, made through the management API by nameko's fixtures), an
SQLite file per test, and PostgreSQL where PUSTAKA_TEST_POSTGRES answers."""

# First: services run in this process (nameko's container fixtures), and need it
# patched for green threads before anything imports socket or threading.
from chassis.nameko.green import patch_process

patch_process()

import os  # noqa: E402
import uuid  # noqa: E402

import pytest  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from chassis.db import normalise_url  # noqa: E402
from pustaka import platform  # noqa: E402
from tests.platform import platform_fixture  # noqa: E402
from tests.receiver import Receiver  # noqa: E402

POSTGRES_ADMIN_URL = os.environ.get(
    "PUSTAKA_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _postgres_admin():
    engine = create_engine(normalise_url(POSTGRES_ADMIN_URL), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        engine.dispose()
        return None, exc
    return engine, None


@pytest.fixture(scope="session")
def postgres_admin():
    engine, error = _postgres_admin()
    if engine is None:
        pytest.skip(
            f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL} ({error}); set PUSTAKA_TEST_POSTGRES"
        )
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def make_postgres_db(postgres_admin):
    """Creates fresh PostgreSQL databases; drops them when the tests end."""
    made = []

    def make() -> str:
        name = f"pustaka_test_{uuid.uuid4().hex[:12]}"
        with postgres_admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return postgres_admin.url.set(database=name).render_as_string(hide_password=False)

    yield make
    with postgres_admin.connect() as conn:
        for name in made:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """An empty database: an SQLite file, and (as a second run) a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("make_postgres_db")()


@pytest.fixture
def base_config(tmp_path):
    """The project's configuration with test-friendly timings, no broker yet."""
    config = platform.load_config(environ={})
    config.update(
        DATA_DIR=str(tmp_path / "data"),
        OUTBOX_POLL_SECONDS=0.2,
        HANDLER_MAX_ATTEMPTS=3,
        HANDLER_RETRY_BASE_SECONDS=0.05,
        RPC_TIMEOUT_SECONDS=3,
    )
    return config


@pytest.fixture
def receiver():
    """A webhook receiver on 127.0.0.1 (tests/receiver.py), stopped after the test."""
    server = Receiver()
    yield server
    server.stop()


# The whole platform on SQLite, once per session, for the tests of pages and routes
# that only add records of their own (tests/platform.py: on_the_shared_platform).
shared_platform = platform_fixture(
    databases=("sqlite",), env={"CATALOG_REPLICAS": "1"}, scope="session"
)
