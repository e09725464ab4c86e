"""Figures for headquarters' view: `make bench-insight` (or `python tests/bench/insight.py`).

Prints, on this machine, in one run of the platform as `make up` first starts it
(SQLite, its demo data: three years of the visitors' book and the member counts at
the five branches, and what the other parts' demos told insight by their events):
  1. the dashboard over 36 months and the five branches, at 20 connections (wrk,
     BENCH_SECONDS each): the JSON route GET /v1/insight/dashboard and the page
     /dasbor (signed in): req/s, p50/p95/p99 (target: p95 at most 200 ms);
  2. BENCH_RATE (default 200) events a second for BENCH_FLOW_SECONDS (default 20), a
     mix of four parts' events that insight counts (a check-in, a visitor's ticket,
     a copy added, a certificate), published as their owners' outboxes would,
     confirmed by the broker, while the dashboard of this month at one branch is
     asked ten times a second: the lag from an event's publish until the dashboard's
     `freshness` counts it, p50/p99 (target: p99 at most 2 s);
  3. the rebuild from scratch (POST /v1/insight/rebuild), timed, with what it read.
Figures, not assertions.

The lag of 2 is that of the n-th event published to the first answer counting n
events: the handlers apply events nearly in order, so this is each event's lag
but for the order they happen to be applied in.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from chassis.envelope import make_envelope  # noqa: E402
from chassis.nameko.publisher import BatchPublisher  # noqa: E402
from deploy.wrk import ensure as ensure_wrk  # noqa: E402
from tests.bench.foundation import (  # noqa: E402
    SECONDS,
    Vhost,
    admin_key,
    bearer,
    first_rebuild_done,
    pct,
    wrk,
)
from tests.support import running_platform  # noqa: E402

RATE = int(os.environ.get("BENCH_RATE", "200"))
FLOW_SECONDS = int(os.environ.get("BENCH_FLOW_SECONDS", "20"))
BATCHES_A_SECOND = 20  # the flow is published in batches this often
POLL_SECONDS = 0.1  # the dashboard asked ten times a second: a page's refresh, many times over
PERCENTILE = Path(__file__).with_name("percentile.lua")
SOURCES = ("catalog", "people", "events", "feedback")
COOKIE = "pustaka_masuk"


def period(months: int = 36) -> tuple[str, str]:
    """The last `months` months, this one included (the dashboard's longest)."""
    today = dt.date.today()
    first = today.year * 12 + today.month - 1 - (months - 1)
    return f"{first // 12:04d}-{first % 12 + 1:02d}", today.strftime("%Y-%m")


def signed_in(base: str, key: str) -> str:
    """The page session's cookie for `key`, as /masuk gives it."""
    answer = requests.post(
        f"{base}/masuk", data={"key": key, "back": ""}, allow_redirects=False, timeout=10
    )
    answer.raise_for_status()
    return answer.cookies[COOKIE]


def dashboard_figures(base: str, key: str) -> list[tuple[str, dict]]:
    start, end = period()
    query = f"from={start}&to={end}"
    answer = requests.get(f"{base}/v1/insight/dashboard?{query}", headers=bearer(key), timeout=30)
    size = len(answer.content) // 1024
    json_route = wrk(f"{base}/v1/insight/dashboard?{query}", key, PERCENTILE)
    cookie = signed_in(base, key)
    page = wrk_with_cookie(f"{base}/dasbor?{query}", cookie)
    return [
        (f"GET /v1/insight/dashboard ({start} to {end}, all branches, {size} KB)", json_route),
        (f"GET /dasbor ({start} to {end}, all branches, signed in)", page),
    ]


def wrk_with_cookie(url: str, cookie: str) -> dict:
    """wrk on a page: the session cookie stands for the key (a page takes no header)."""
    lua = Path(tempfile.mkstemp(suffix=".lua")[1])
    try:
        lua.write_text(f'wrk.headers["Cookie"] = "{COOKIE}={cookie}"\n' + PERCENTILE.read_text())
        return wrk(url, script=lua)
    finally:
        lua.unlink()


# -- 2. the flow of events -------------------------------------------------------------------
def flow_event(source: str, n: int, branch: str) -> tuple[str, dict]:
    """One event of `source` that insight counts and no other part acts on."""
    tag = f"B{n:07d}{uuid.uuid4().hex[:6]}"
    now = dt.datetime.now(dt.UTC).isoformat()
    made = {
        "catalog": ("item_added", {"title_id": f"T-BENCH-{n % 50}", "branch": branch}),
        "people": (
            "certificate_issued",
            {"code": f"C-{tag}", "staff_id": "STF-BENCH", "programme_id": "PRG-BENCH"},
        ),
        "events": (
            "attendance_recorded",
            {
                "registration_id": f"R-{tag}",
                "occurrence_id": "OCC-BENCH",
                "branch": branch,
                "walk_in": False,
                "age_group": "teen",
            },
        ),  # fmt: skip
        "feedback": (
            "ticket_opened",
            {"ticket_id": f"K-{tag}", "category": "service", "branch": branch, "opened_at": now},
        ),
    }
    event_type, data = made[source]
    return event_type, make_envelope(source, event_type, tag, data)


class Poller(threading.Thread):
    """Asks the dashboard of this month at one branch again and again; keeps, for
    each answer, when it came and how many events of the four sources it counts."""

    def __init__(self, base: str, key: str, branch: str):
        super().__init__(daemon=True)
        month = dt.date.today().strftime("%Y-%m")
        self.url = f"{base}/v1/insight/dashboard?from={month}&to={month}&branches={branch}"
        self.session = requests.Session()
        self.session.headers.update(bearer(key))
        self.seen: list[tuple[float, int]] = []
        self.stopping = threading.Event()

    def applied(self) -> int:
        answer = self.session.get(self.url, timeout=30)
        answer.raise_for_status()
        return sum(f["events"] for f in answer.json()["freshness"])

    def run(self) -> None:
        while not self.stopping.is_set():
            began = time.perf_counter()
            count = self.applied()
            self.seen.append((time.perf_counter(), count))
            time.sleep(max(0.0, POLL_SECONDS - (time.perf_counter() - began)))


def event_lag(base: str, key: str, uri: str) -> tuple[list[float], int, float]:
    """(each event's lag in seconds, events published, the rate achieved)."""
    publishers = {s: BatchPublisher(uri, f"{s}.events") for s in SOURCES}
    poller = Poller(base, key, "KMN")
    before = poller.applied()
    poller.start()
    per_batch = max(1, RATE // BATCHES_A_SECOND)
    sent: list[float] = []  # when each event was published, in order
    began = time.perf_counter()
    try:
        for batch in range(FLOW_SECONDS * BATCHES_A_SECOND):
            due = began + batch / BATCHES_A_SECOND
            time.sleep(max(0.0, due - time.perf_counter()))
            by_source: dict[str, list] = {s: [] for s in SOURCES}
            for i in range(per_batch):
                n = len(sent) + i
                source = SOURCES[n % len(SOURCES)]
                event_type, event = flow_event(source, n, "KMN")
                by_source[source].append((event_type, event["id"], json.dumps(event), None))
            at = time.perf_counter()
            for source, events in by_source.items():
                if events:
                    publishers[source].publish_batch(events)
            sent += [at] * per_batch
        took = time.perf_counter() - began
        deadline = time.perf_counter() + 120
        while time.perf_counter() < deadline:
            if poller.seen and poller.seen[-1][1] >= before + len(sent):
                break
            time.sleep(0.05)
    finally:
        poller.stopping.set()
        poller.join(timeout=60)
        for publisher in publishers.values():
            publisher.close()
    return lags(sent, poller.seen, before), len(sent), len(sent) / took


def lags(sent: list[float], seen: list[tuple[float, int]], before: int) -> list[float]:
    """The n-th event's lag: from its publish to the first answer counting n events
    (an event never counted gets none: the caller reports how many)."""
    out, answer = [], 0
    for n, at in enumerate(sent, start=1):
        while answer < len(seen) and seen[answer][1] < before + n:
            answer += 1
        if answer == len(seen):
            break
        out.append(max(0.0, seen[answer][0] - at))
    return out


# -- 3. the rebuild ------------------------------------------------------------------------------
def rebuild(base: str, key: str) -> tuple[float, dict]:
    began = time.perf_counter()
    answer = requests.post(f"{base}/v1/insight/rebuild", headers=bearer(key), timeout=660)
    answer.raise_for_status()
    return time.perf_counter() - began, answer.json()


def print_routes(rows: list[tuple[str, dict]]) -> None:
    print(f"\n1. The dashboard, 20 connections, {SECONDS} s each (wrk; target: p95 at most 200 ms)")
    print(f"   {'route':<66} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'non-2xx':>8}")
    for name, r in rows:
        latency = f"{r['p50']:>7.1f} {r.get('p95', float('nan')):>7.1f} {r['p99']:>7.1f}"
        print(f"   {name:<66} {r['rps']:>7.1f} {latency} {r['non2xx']:>8}")
        if r["socket_errors"]:
            print(f"   ({r['socket_errors']} requests had no answer: socket errors)")


def main() -> None:
    if not ensure_wrk():
        sys.exit(1)
    print(f"Pustaka insight benchmark, {os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp) / "insight"
        var.mkdir()
        with Vhost() as vhost, running_platform(var, vhost.uri) as (base, env):
            key = admin_key(var)
            first_rebuild_done(base, key)  # the platform's own, so that ours is not raced
            routes = dashboard_figures(base, key)
            lag, published, rate = event_lag(base, key, env["AMQP_URI"])
            took, rebuilt = rebuild(base, key)
    print_routes(routes)
    print(
        f"\n2. {published:,} events at {rate:.0f}/s ({FLOW_SECONDS} s), publish to the dashboard"
        " counting it (target: p99 at most 2 s)"
    )
    if lag:
        print(
            f"   p50 {pct(lag, 50) * 1000:.0f} ms  p99 {pct(lag, 99) * 1000:.0f} ms"
            f"  max {max(lag) * 1000:.0f} ms"
        )
    if len(lag) < published:
        print(f"   {published - len(lag)} events were not counted within 120 s of the last")
    print(f"\n3. The rebuild from scratch at the demo's size: {took:.2f} s")
    print(f"   read: {json.dumps(rebuilt.get('records', rebuilt), sort_keys=True)}")


if __name__ == "__main__":
    main()
