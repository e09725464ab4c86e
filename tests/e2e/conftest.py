"""The whole platform, started by the same runner as `make up`, on its own vhost,
port and data directory; catalogue on SQLite, then on PostgreSQL.

Once for the tier (package scope), for the modules that only add records of their
own to it and count only those (catalogue, people): on SQLite the session's shared
platform, on PostgreSQL one of the tier's own. A module that stops or kills
processes, needs settings of its own, or counts records another module adds declares
a platform of its own (test_platform.py, test_limits.py...); SQLite-only modules that
need nothing of their own share the session's one SQLite platform
(on_the_shared_platform)."""

from tests.platform import platform_fixture

platform = platform_fixture(scope="package", shared_on_sqlite=True)
