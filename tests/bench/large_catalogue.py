"""A catalogue of N synthetic titles for the foundation benchmark's large search,
built once and kept: `cached_catalogue(N)` is an SQLite file under var/bench/.

Built as tests/bench/catalog_search.py builds its catalogues: the schema by the
catalogue's own migrations, the records of tests/bench/synthetic.py through the
importer (validation, stemming, the search index), then the outbox emptied, as if
its events had long been relayed. Without that, a platform started on it would
first publish a million title_created events, and the benchmark would measure that.

The file is named by its size and by the catalogue's newest migration, so a change
of schema builds a new one rather than benchmarking an old one migrated. It is
built under a temporary name and renamed once whole: an interrupted build is never
taken for a finished one. Delete var/bench/ to build again.

Building 1,000,000 titles takes a few minutes; later runs find the file.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from alembic.script import ScriptDirectory  # noqa: E402

from chassis.config import load_config  # noqa: E402
from chassis.context import SYSTEM  # noqa: E402
from chassis.db import open_database  # noqa: E402
from chassis.migrations import alembic_config, upgrade  # noqa: E402
from services.catalog.importer import import_records  # noqa: E402
from services.catalog.models import Base  # noqa: E402
from services.catalog.part import PART as CATALOG  # noqa: E402
from tests.bench.synthetic import records  # noqa: E402

CACHE = ROOT / "var" / "bench"


def schema_head() -> str:
    """The catalogue's newest migration, which names the schema a file was built at."""
    script = ScriptDirectory.from_config(alembic_config(CATALOG, "sqlite://"))
    return "-".join(sorted(script.get_heads()))


def cached_catalogue(size: int) -> Path:
    """The SQLite file of a catalogue of `size` synthetic titles, built if not kept."""
    path = CACHE / f"catalog-{size}-{schema_head()}.db"
    if path.exists():
        print(f"   catalogue of {size:,} titles: {path.relative_to(ROOT)} (kept from a run before)")
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for stale in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        stale.unlink(missing_ok=True)
    build(partial, size)
    partial.rename(path)
    return path


def build(path: Path, size: int) -> None:
    url = f"sqlite:///{path}"
    upgrade(CATALOG, {**load_config(sections=["catalog"]), "catalog": {"DATABASE_URL": url}})
    db = open_database(url, Base.metadata)
    started = time.perf_counter()
    try:
        report = import_records(
            db.transaction, records(0, size, size), SYSTEM, progress=progress(size, started)
        )
    finally:
        db.engine.dispose()
    took = time.perf_counter() - started
    print(f"\n   built {report.added:,} titles in {took:.0f} s ({report.added / took:,.0f}/s)")
    if report.added != size:
        sys.exit(f"the synthetic catalogue failed to build: {report.failed[:3]}")
    settle(path)


def progress(size: int, started: float):
    """The importer's progress callback: one line, rewritten at most once a second."""
    shown = [0.0]

    def show(report) -> None:
        now = time.perf_counter()
        if now - shown[0] >= 1 or report.added >= size:
            shown[0] = now
            rate = report.added / max(now - started, 1e-9)
            print(f"\r   building {report.added:>9,} of {size:,} titles ({rate:,.0f}/s)", end="")
            sys.stdout.flush()

    return show


def settle(path: Path) -> None:
    """Empty the outbox and leave one self-contained file: no -wal beside it, and
    the outbox's space given back, so copying it for each run is quick."""
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM outbox")
    conn.close()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("VACUUM")
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()
