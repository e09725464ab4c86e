"""Catalogue import and search figures: `python tests/bench/catalog_search.py`.

Generates synthetic bibliographic records (tests/bench/synthetic.py), imports them
through the catalogue's bulk importer (validation, ISBN normalisation, stemming,
events in the outbox), and times searches of each shape at each size, on SQLite
and, where PUSTAKA_TEST_POSTGRES answers, PostgreSQL. Figures, not assertions.

  BENCH_SIZES=100000,1000000  BENCH_BACKENDS=sqlite,postgresql  BENCH_RUNS=20
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from chassis.config import load_config  # noqa: E402
from chassis.context import SYSTEM  # noqa: E402
from chassis.db import normalise_url, open_database  # noqa: E402
from chassis.migrations import upgrade  # noqa: E402
from services.catalog.importer import import_records  # noqa: E402
from services.catalog.models import Base  # noqa: E402
from services.catalog.part import PART as CATALOG  # noqa: E402
from services.catalog.titles import search_titles  # noqa: E402
from tests.bench.synthetic import records  # noqa: E402

SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "100000,1000000").split(",")]
BACKENDS = os.environ.get("BENCH_BACKENDS", "sqlite,postgresql").split(",")
RUNS = int(os.environ.get("BENCH_RUNS", "20"))
CHUNK = 50_000
POSTGRES = os.environ.get("PUSTAKA_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


def shapes(rng: random.Random, size: int) -> dict:
    """Query shape → a function giving one query of that shape."""
    rare_span = max(1, size // 10 if size < 1_000_000 else 100_000)
    return {
        "rare term": lambda: {"q": f"langka{rng.randrange(min(rare_span, 100_000)):06d}"},
        "common term (~all)": lambda: {"q": "indonesia"},
        "term in 25%": lambda: {"q": "kerinci"},
        "two words": lambda: {
            "q": rng.choice(["sejarah kerinci", "budaya indonesia", "pendidikan kerinci"])
        },
        "prefix": lambda: {"q": rng.choice(["perpus*", "pendid*", "masyar*", "tekno*"])},
        "filtered (facets)": lambda: {
            "q": "kerinci",
            "type": "book",
            "language": "ind",
            "year_from": 1990,
            "year_to": 2010,
        },
        "with facet counts": lambda: {"q": "kerinci", "type": "book", "facets": True},
        "next page (cursor)": None,  # filled in by run_queries
    }


def timed(db, params) -> tuple[float, dict]:
    start = time.perf_counter()
    with db.reading() as session:
        result = search_titles(session, params)
    return (time.perf_counter() - start) * 1000, result


def run_queries(db, size: int) -> None:
    rng = random.Random(size)
    print(f"   {'query':<22} {'p50 ms':>8} {'p95 ms':>8} {'matches':>9}")
    for name, make in shapes(rng, size).items():
        times, totals = [], []
        for _ in range(RUNS):
            if make is None:  # the second page of a common term, by its cursor
                _, first = timed(db, {"q": "kerinci"})
                ms, result = timed(db, {"q": "kerinci", "cursor": first["next_cursor"]})
            else:
                ms, result = timed(db, make())
            times.append(ms)
            totals.append(result["total"])
        p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
        print(
            f"   {name:<22} {statistics.median(times):>8.1f} {p95:>8.1f} "
            f"{int(statistics.median(totals)):>9}"
        )


def bench(backend: str, url: str) -> None:
    config = {**load_config(), "catalog": {"DATABASE_URL": url}}
    upgrade(CATALOG, config)
    db = open_database(url, Base.metadata)
    done, import_seconds = 0, 0.0
    for size in SIZES:
        while done < size:
            stop = min(size, done + CHUNK)
            chunk = list(records(done, stop, max(SIZES)))  # generated outside the timing
            started = time.perf_counter()
            report = import_records(db.transaction, chunk, SYSTEM)
            import_seconds += time.perf_counter() - started
            assert report.added == stop - done, report.failed[:3]
            done = stop
            print(f"   imported {done:>9,} ({done / import_seconds:,.0f} records/s)", flush=True)
        print(f"\n{backend}, {size:,} records: import {done / import_seconds:,.0f} records/s")
        run_queries(db, size)
        print(flush=True)


def main() -> None:
    print(
        f"Catalogue benchmark: sizes {SIZES}, {RUNS} runs per query shape, {os.cpu_count()} cores"
    )
    for backend in BACKENDS:
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                print(f"\n== SQLite, {tmp}")
                bench("sqlite", f"sqlite:///{tmp}/catalog.db")
        else:
            admin = create_engine(normalise_url(POSTGRES), isolation_level="AUTOCOMMIT")
            name = f"pustaka_bench_{uuid.uuid4().hex[:8]}"
            try:
                with admin.connect() as conn:
                    conn.execute(text(f'CREATE DATABASE "{name}"'))
            except Exception as exc:
                print(f"\n== PostgreSQL skipped: {exc.__class__.__name__} at {POSTGRES}")
                continue
            try:
                print(f"\n== PostgreSQL, database {name}")
                bench("postgresql", admin.url.set(database=name).render_as_string(False))
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
