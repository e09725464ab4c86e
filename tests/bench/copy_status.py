"""What a change of a copy's status costs the catalogue's process (`python
tests/bench/copy_status.py`): CPU per `change_status` as a request runs it (its
transaction, the answered-request record, the search document's availability, the
outbox row), in process, on the SQLite catalogue tests/bench/title_read.py makes (200
titles, a copy of each at two branches), each copy lent and then returned in turn.
Repeated BENCH_ROUNDS times: the fastest round and the median are printed.

  BENCH_CHANGES=3000 BENCH_ROUNDS=5
Figures, not assertions.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from chassis.context import SYSTEM  # noqa: E402
from services.catalog import items  # noqa: E402
from tests.bench.title_read import ROUNDS, catalogue, cpu_rounds  # noqa: E402
from tests.support import requested  # noqa: E402

CHANGES = int(os.environ.get("BENCH_CHANGES", "3000"))


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        db, ids = catalogue(directory)
        barcodes = [f"{branch}-{n}" for n in range(len(ids)) for branch in ("SPN", "KMN")]

        def change(n: int) -> dict:
            status = ("on_loan", "available")[n // len(barcodes) % 2]
            barcode = barcodes[n % len(barcodes)]
            return requested(db, "change_item_status", items.change_status, barcode,
                             {"status": status}, SYSTEM)  # fmt: skip

        figures = cpu_rounds(CHANGES, change)
        db.engine.dispose()
    print(f"change_status, {CHANGES:,} changes a round, {ROUNDS} rounds: CPU per change")
    print(f"   {figures}")


if __name__ == "__main__":
    main()
