"""What the relay's claim costs as the outbox's history grows (`python
tests/bench/outbox_claims.py`): a write commits two events, the relay claims them
and marks them sent, 40,000 times over, on PostgreSQL (PUSTAKA_TEST_POSTGRES) and
SQLite. Claimed two ways: by searching the outbox for unsent rows (what the relay
did for every batch; now once per OUTBOX_POLL_SECONDS) and by the ids the commit
stored (what it does for its own process's commits). Prints the mean time of the
claim statement, in ms, at each size.

On PostgreSQL the search walks every row sent since the table was last vacuumed
(a sent row leaves a dead entry in the index of unsent rows); this machine's server
runs without autovacuum, as CI's does.

  BENCH_OUTBOX_EVENTS=80000 (events written in all)
Figures, not assertions.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import MetaData

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from chassis.bulk import insert_returning  # noqa: E402
from chassis.db import make_engine, session_factories  # noqa: E402
from chassis.outbox import claim_batch, claim_committed, mark_sent  # noqa: E402
from chassis.tables import reliability_tables  # noqa: E402
from tests.support import scratch_postgres  # noqa: E402

EVENTS = int(os.environ.get("BENCH_OUTBOX_EVENTS", "80000"))
SERVER = os.environ.get("PUSTAKA_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
STAGES = 8


def run(url: str, by_id: bool) -> list[tuple[int, float]]:
    """(events written so far, mean claim time in ms over the last stage's claims)."""
    engine = make_engine(url)
    metadata = MetaData()
    outbox = reliability_tables(metadata).outbox
    metadata.create_all(engine)
    writer, _ = session_factories(engine)
    figures, written = [], 0
    per_stage = EVENTS // 2 // STAGES
    for _ in range(STAGES):
        spent = 0.0
        for _ in range(per_stage):
            rows = [
                {"event_id": uuid.uuid4().hex, "event_type": "title_created", "envelope": "{}",
                 "created_at": time.time()}
                for _ in range(2)
            ]  # fmt: skip
            with writer() as session, session.begin():
                ids = insert_returning(session, outbox, rows, "id")
            with engine.begin() as conn:
                start = time.perf_counter()
                if by_id:
                    claimed = claim_committed(conn, outbox, "bench", ids, 30)
                else:
                    claimed = claim_batch(conn, outbox, "bench", 100, 30)
                spent += time.perf_counter() - start
            with engine.begin() as conn:
                mark_sent(conn, outbox, [row.id for row in claimed])
            written += 2
        figures.append((written, 1000 * spent / per_stage))
    engine.dispose()
    return figures


def main() -> None:
    print(f"The relay's claim as the outbox grows to {EVENTS:,} events (2 a commit), ms")
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("postgresql", "sqlite"):
            results = {}
            for by_id in (False, True):
                if kind == "sqlite":
                    results[by_id] = run(f"sqlite:///{tmp}/outbox-{int(by_id)}.db", by_id)
                    continue
                with scratch_postgres(SERVER) as url:
                    results[by_id] = run(url, by_id)
            print(f"\n{kind}\n   {'events':>8} {'search':>8} {'by id':>8}")
            for (n, searched), (_, by_ids) in zip(results[False], results[True], strict=True):
                print(f"   {n:>8,} {searched:>8.3f} {by_ids:>8.3f}")


if __name__ == "__main__":
    main()
