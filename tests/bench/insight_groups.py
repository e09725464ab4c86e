"""What insight's grouped handlers cost per event by the size of their groups
(`python tests/bench/insight_groups.py`): `title_created` events applied as
GroupedApply applies a group (one transaction: the applied-event records, the
source's mark, each event's effect), in process, in groups of 1, 3 and 10, on SQLite
and, with PUSTAKA_TEST_POSTGRES, on a PostgreSQL database of its own (dropped after),
the driver waiting through eventlet's hub as in a service. CPU per event, the median
of BENCH_ROUNDS rounds of BENCH_EVENTS events.

  BENCH_EVENTS=1500 BENCH_ROUNDS=3
Figures, not assertions.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from itertools import count
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from chassis.nameko.green import patch_process  # noqa: E402

patch_process()  # as a service process: psycopg2 waits through the hub

from chassis.db import first_applications  # noqa: E402
from chassis.migrations import upgrade  # noqa: E402
from chassis.times import iso_time  # noqa: E402
from pustaka import platform  # noqa: E402
from services.insight import readmodel  # noqa: E402
from tests.support import scratch_postgres  # noqa: E402

EVENTS = int(os.environ.get("BENCH_EVENTS", "1500"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SIZES = (1, 3, 10)


def per_event(url: str) -> dict[int, float]:
    (part,) = [p for p in platform.parts() if p.name == "insight"]
    config = {"insight": {"DATABASE_URL": url}}
    upgrade(part, config)
    db = platform.database(config, part)
    applied = db.metadata.tables["applied_events"]
    numbers = count()

    def group(size: int) -> None:
        now = iso_time(time.time())
        events = [
            {"id": uuid.uuid4().hex, "type": "catalog.title_created", "time": now,
             "data": {"id": f"T{next(numbers):06d}", "material_type": "book", "created_at": now}}
            for _ in range(size)
        ]  # fmt: skip
        with db.transaction() as session:
            first = first_applications(session, applied, "insight.bench", [e["id"] for e in events])
            readmodel.apply_events(session, [e for e in events if e["id"] in first])

    costs = {}
    for size in SIZES:
        group(size)  # warm: statements compiled
        rounds = []
        for _ in range(ROUNDS):
            groups = max(1, EVENTS // size)
            start = time.process_time()
            for _ in range(groups):
                group(size)
            rounds.append(1e6 * (time.process_time() - start) / (groups * size))
        costs[size] = statistics.median(rounds)
    db.engine.dispose()
    return costs


def main() -> None:
    databases = {}
    with tempfile.TemporaryDirectory() as directory:
        databases["sqlite"] = per_event(f"sqlite:///{directory}/insight.db")
    server = os.environ.get("PUSTAKA_TEST_POSTGRES")
    if server:
        with scratch_postgres(server) as url:
            databases["postgresql"] = per_event(url)
    print(f"insight, title_created events in groups, CPU per event (median of {ROUNDS} rounds)")
    print("   database     " + "".join(f"{f'group of {s}':>14}" for s in SIZES))
    for name, costs in databases.items():
        print(f"   {name:<12} " + "".join(f"{costs[s]:>11.0f} µs" for s in SIZES))


if __name__ == "__main__":
    main()
