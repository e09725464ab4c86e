"""What a title read costs the catalogue's process (`python tests/bench/title_read.py`):
CPU per `get_title` as a request runs it (its one statement through
DatabaseSession.read_one: the title and its copies per branch; the dump), in process,
on a SQLite catalogue of 200 titles with two copies each. Repeated BENCH_ROUNDS times:
the machine's other work shows as slower rounds, so the fastest round and the median
are printed.

  BENCH_READS=5000 BENCH_ROUNDS=5
Figures, not assertions.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import count
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from chassis.context import SYSTEM  # noqa: E402
from chassis.migrations import upgrade  # noqa: E402
from pustaka import platform  # noqa: E402
from services.catalog import branches, items, titles  # noqa: E402
from tests.support import requested  # noqa: E402

READS = int(os.environ.get("BENCH_READS", "5000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
DESCRIPTION = "Sebuah buku tentang sejarah kota Sungai Penuh dan Kerinci. " * 5


def catalogue(directory: str):
    (part,) = [p for p in platform.parts() if p.name == "catalog"]
    config = {"catalog": {"DATABASE_URL": f"sqlite:///{directory}/catalog.db"}}
    upgrade(part, config)
    db = platform.database(config, part)
    with db.transaction() as session:
        for code in ("SPN", "KMN"):
            branches.put_branch(session, {"code": code, "name": f"Cabang {code}"}, SYSTEM)
    ids = []
    for n in range(200):
        made = requested(
            db, "create_title", titles.create_title,
            {"title": f"Sejarah kota nomor {n}", "authors": ["Penulis Satu", "Penulis Dua"],
             "subjects": ["Sejarah", "Kerinci"], "description": DESCRIPTION},
            SYSTEM,
        )  # fmt: skip
        ids.append(made["id"])
        for branch in ("SPN", "KMN"):
            copy = {"barcode": f"{branch}-{n}", "branch": branch}
            requested(db, "add_item", items.add_item, made["id"], copy, SYSTEM)
    return db, ids


def cpu_rounds(calls: int, call: Callable[[int], object]) -> str:
    """CPU per `call(n)`, n counting on across rounds, `calls` a round, after a round
    to warm (statements compiled, pages cached): "fastest ... µs, median ... µs" of
    BENCH_ROUNDS rounds."""
    turn = count()

    def one_round() -> float:
        start = time.process_time()
        for _ in range(calls):
            call(next(turn))
        return 1e6 * (time.process_time() - start) / calls

    one_round()
    rounds = [one_round() for _ in range(ROUNDS)]
    return f"fastest {min(rounds):.0f} µs, median {statistics.median(rounds):.0f} µs"


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        db, ids = catalogue(directory)

        def read(n: int) -> dict:
            title_id = ids[n % len(ids)]
            return db.read_one("get_title", lambda reader: titles.get_title(reader, title_id))

        figures = cpu_rounds(READS, read)
        db.engine.dispose()
    print(f"get_title, {READS:,} reads a round, {ROUNDS} rounds: CPU per read")
    print(f"   {figures}")


if __name__ == "__main__":
    main()
