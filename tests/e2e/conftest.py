"""The whole platform, started by the same runner as `make up`, on its own vhost,
port and data directory; catalogue on SQLite, then on PostgreSQL."""

from tests.platform import platform_fixture

platform = platform_fixture()
