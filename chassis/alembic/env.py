"""Every part's Alembic env.py: its history is in its own migrations/versions/
(version_locations, set by chassis/migrations.py)."""

from chassis.migrations import run_env

run_env()
