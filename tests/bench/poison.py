"""Figures for messages that once stopped parts: `make bench-poison` (or `python
tests/bench/poison.py`). Figures, not assertions.

The whole platform (the same runner as `make up`, each part as its own broker user)
on a throwaway vhost. `/v1/status` asks every service for its health over RPC, so
its latency is every part's at once. Measured for BENCH_SECONDS (default 10) at 4
clients, first alone, then while 1,000 malformed requests (BENCH_POISON) are sent to
the parts, 200 each, as the gateway's user (the one sender parts answer): without
reply_to, naming no caller, a body that is not the method's, a content type the parts
do not take, and a body that is not the JSON it says. Printed: each phase's requests,
p50/p99 and errors; then how many each part parked, and whether any process exited.

  BENCH_SECONDS=10  BENCH_POISON=1000
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from pustaka import platform as composition  # noqa: E402
from tests.bench.foundation import Vhost, pct  # noqa: E402
from tests.platform import POISON as KINDS  # noqa: E402
from tests.platform import TEST_ENV, Platform  # noqa: E402
from tests.support import running_platform, wait_for  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
POISON = int(os.environ.get("BENCH_POISON", "1000"))
CLIENTS = 4


def load(url: str, until: float) -> tuple[list[float], int]:
    latencies, errors, lock = [], [0], threading.Lock()

    def client():
        with requests.Session() as session:
            while time.monotonic() < until:
                began = time.monotonic()
                answer = session.get(url + "/v1/status", timeout=10)
                ok = answer.status_code == 200 and all(
                    s["state"] == "ok" for s in answer.json()["services"].values()
                )
                with lock:
                    latencies.append(time.monotonic() - began)
                    errors[0] += not ok

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors[0]


def row(name: str, latencies: list[float], errors: int) -> str:
    return (
        f"{name:<28}{len(latencies):>9}{pct(latencies, 50) * 1000:>10.1f}"
        f"{pct(latencies, 99) * 1000:>10.1f}{errors:>8}"
    )


def main() -> None:
    services = [p.name for p in composition.services()]
    with Vhost() as vhost, tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp)
        with running_platform(var, vhost.uri, {**TEST_ENV, "CATALOG_REPLICAS": "2"}) as (
            url,
            env,
        ):
            platform = Platform(url, env, var)
            before = platform.ctl("pid", "all")
            print(
                f"/v1/status (a health call to each of {len(services)} services), {CLIENTS} clients"
            )
            print(f"{'phase':<28}{'requests':>9}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
            print(row("alone", *load(url, time.monotonic() + SECONDS)))
            rounds = max(1, POISON // (len(services) * len(KINDS)))
            sender = threading.Thread(
                target=platform.send_poison, args=(services, rounds, SECONDS * 0.8)
            )
            sender.start()
            print(row(f"with {POISON} poison messages", *load(url, time.monotonic() + SECONDS)))
            sender.join()
            expected = rounds * len(KINDS)
            for service in services:
                wait_for(lambda s=service: platform.parked_requests(s) >= expected, 30, 0.5)
                print(f"{service}: {platform.parked_requests(service)} parked")
            same = platform.ctl("pid", "all") == before
            print(
                "processes: " + ("none exited or restarted" if same else "SOME EXITED OR RESTARTED")
            )


if __name__ == "__main__":
    main()
