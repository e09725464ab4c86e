"""Fixtures shared by every tier. Real components: the RabbitMQ at --amqp-uri (a
fresh vhost per test, made through the management API by nameko's fixtures), an
SQLite file per test, and PostgreSQL where PUSTAKA_TEST_POSTGRES answers."""

# First: services run in this process (nameko's container fixtures), and need it
# patched for green threads before anything imports socket or threading.
from chassis.nameko.green import patch_process

patch_process()

import os  # noqa: E402
import uuid  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from chassis.db import normalise_url  # noqa: E402
from pustaka import platform  # noqa: E402
from tests.platform import started_platform  # noqa: E402
from tests.receiver import Receiver  # noqa: E402
from tests.support import copy_sqlite  # noqa: E402

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
    """Creates fresh PostgreSQL databases (a copy of `template`, a database's name,
    if given); drops them when the tests end."""
    made = []

    def make(template: str | None = None) -> str:
        name = f"pustaka_test_{uuid.uuid4().hex[:12]}"
        copying = f' TEMPLATE "{template}"' if template else ""
        with postgres_admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"{copying}'))
        made.append(name)
        return postgres_admin.url.set(database=name).render_as_string(hide_password=False)

    yield make
    with postgres_admin.connect() as conn:
        for name in made:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def postgres_demo(make_postgres_db) -> dict[str, str]:
    """Each part's PostgreSQL database as the runner leaves it before its processes
    start (migrated, its demo loaded), by name, made once a session: a platform on
    PostgreSQL starts on copies of them, as one on SQLite starts on copies of
    tests/support.py's demo_data()."""
    config = platform.load_config(environ={})
    urls = {part.name: make_postgres_db() for part in platform.parts()}
    for name, url in urls.items():
        config[name] = {**config[name], "DATABASE_URL": url}
    list(platform.migrate(config))
    list(platform.load_demos(config))
    return {name: url.rsplit("/", 1)[-1] for name, url in urls.items()}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_kind(request) -> str:
    """The database a test runs on: SQLite, and (as a second run) PostgreSQL.
    `pytest.mark.parametrize("database_kind", ["sqlite"])` keeps a test to SQLite."""
    return request.param


@pytest.fixture
def database_url(request, database_kind, tmp_path):
    """An empty database: an SQLite file, or a PostgreSQL database."""
    if database_kind == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("make_postgres_db")()


@pytest.fixture(scope="session")
def schemas(tmp_path_factory):
    """Each part's database at its newest schema, migrated once a session for each
    kind of database and copied for each test that asks (`migrated_url`): Alembic's
    run takes longer than most tests that need it. Keyed by (part, "sqlite" or
    "postgresql"): an SQLite file, or the name of a PostgreSQL database."""
    return {}


@pytest.fixture
def migrated_url(request, database_kind, tmp_path, schemas):
    """`migrated_url("catalog")`: a new database holding the part's schema at head,
    as `pustaka migrate` leaves it (SQLite, then PostgreSQL)."""

    def copy(name: str) -> str:
        key = (name, database_kind)
        if key not in schemas:
            schemas[key] = _migrated_template(request, name, database_kind)
        template = schemas[key]
        if database_kind == "postgresql":
            return request.getfixturevalue("make_postgres_db")(template)
        target = tmp_path / f"{name}.db"
        copy_sqlite(Path(template), target)
        return f"sqlite:///{target}"

    return copy


def _migrated_template(request, name: str, kind: str) -> str:
    """A database of `kind` migrated to head for part `name`: its file or its name."""
    if kind == "postgresql":
        url = request.getfixturevalue("make_postgres_db")()
    else:
        folder = request.getfixturevalue("tmp_path_factory").mktemp("schemas")
        url = f"sqlite:///{folder / f'{name}.db'}"
    config = platform.load_config(environ={})
    list(platform.migrate({**config, name: {**config[name], "DATABASE_URL": url}}, [name]))
    return url.rsplit("/", 1)[-1] if kind == "postgresql" else url.removeprefix("sqlite:///")


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
# Webhook endpoints may be on 127.0.0.1 here, where the tests' receivers listen.
@pytest.fixture(scope="session")
def shared_platform(request):
    env = {"WEBHOOKS__ALLOW_PRIVATE_URLS": "true"}
    with started_platform(request, "sqlite", env) as platform:
        yield platform
