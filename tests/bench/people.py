"""Figures for staff development: `make bench-people` (or `python tests/bench/people.py`).

Prints, on this machine, in one run of the platform as `make up` starts it:
  1. a programme with BENCH_PARTICIPANTS (default 1,000) participants completed: how
     long the completion takes (it issues every certificate), and until every
     certificate answers its public check;
  2. the public certificate check at 20 connections (wrk, BENCH_SECONDS each), as
     JSON and as the HTML page, beside a bare nameko @http route making one RPC to a
     trivial method (tests/bench/bare.py), with its throughput as a multiple of it;
  3. the gap report of a branch of BENCH_GAP_STAFF (default 500) staff, and of one
     person: p50/p95 of 50 requests one after another.
Figures, not assertions.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from deploy.wrk import ensure as ensure_wrk  # noqa: E402
from tests.bench.foundation import (  # noqa: E402
    SECONDS,
    Vhost,
    admin_key,
    bare_route,
    bearer,
    pct,
    print_http_table,
    wrk,
)
from tests.support import running_platform  # noqa: E402

PARTICIPANTS = int(os.environ.get("BENCH_PARTICIPANTS", "1000"))
GAP_STAFF = int(os.environ.get("BENCH_GAP_STAFF", "500"))
PROGRAMME = {
    "kind": "training",
    "topic": "Pelatihan literasi informasi untuk semua pustakawan",
    "competencies": [{"competency": "LI-EVALUASI", "level": 2}],
    "hours": 16,
    "trainer": {"name": "Perpustakaan Nasional RI"},
    "capacity": PARTICIPANTS,
    "sessions": [
        {
            "date": "2026-11-02",
            "start": "08:00",
            "end": "16:00",
            "venue": {"kind": "online", "url": "https://meet.example.org/literasi"},
        }
    ],
}


class Client:
    def __init__(self, base: str, key: str):
        self.base = base
        self.session = requests.Session()
        self.session.headers.update(bearer(key))

    def post(self, path: str, body: dict) -> dict:
        answer = self.session.post(self.base + path, json=body, timeout=120)
        answer.raise_for_status()
        return answer.json()

    def get(self, path: str, **params) -> requests.Response:
        return self.session.get(self.base + path, params=params, timeout=60)


def in_parallel(fn, items, workers: int = 20) -> list:
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(fn, items))


def register(client: Client, branch: str, n: int) -> list[str]:
    def one(i: int) -> str:
        body = {"name": f"Pustakawan Uji {branch} {i:04d}", "branch": branch, "position": "mahir"}
        return client.post("/v1/people/staff", body)["id"]

    return in_parallel(one, range(n))


def completion(client: Client, base: str) -> tuple[dict, list[str]]:
    """(figures, certificate codes) of one programme of PARTICIPANTS, completed."""
    staff = register(client, "KMN", PARTICIPANTS)
    pid = client.post("/v1/people/programmes", PROGRAMME)["id"]
    move = f"/v1/people/programmes/{pid}/transitions"
    client.post(move, {"to": "scheduled"})
    in_parallel(
        lambda s: client.post(f"/v1/people/programmes/{pid}/enrolments", {"staff_id": s}), staff
    )
    client.post(move, {"to": "running"})
    marks = [{"staff_id": s, "present": True} for s in staff]
    client.post(f"/v1/people/programmes/{pid}/attendance", {"session": 1, "marks": marks})
    started = time.perf_counter()
    client.post(move, {"to": "completed"})
    completed = time.perf_counter() - started
    listed = client.get(f"/v1/people/programmes/{pid}/enrolments").json()["items"]
    codes = [e["certificate"] for e in listed if e["certificate"]]
    public = requests.Session()
    checked = in_parallel(
        lambda c: public.get(f"{base}/v1/people/verifications/{c}", timeout=30).json()["valid"],
        codes,
    )
    verifiable = time.perf_counter() - started
    return {
        "certificates": len(codes),
        "verified": sum(checked),
        "completed_s": completed,
        "verifiable_s": verifiable,
    }, codes


def gap_reports(client: Client) -> dict:
    staff = register(client, "PDT", GAP_STAFF)
    figures = {}
    for label, path in (
        (f"branch of {GAP_STAFF} staff", "/v1/people/branches/PDT/gaps"),
        ("one person", f"/v1/people/staff/{staff[0]}/gaps"),
    ):
        times = []
        for _ in range(50):
            started = time.perf_counter()
            client.get(path).raise_for_status()
            times.append((time.perf_counter() - started) * 1000)
        figures[label] = (pct(times, 50), pct(times, 95))
    return figures


def main() -> None:
    if not ensure_wrk():
        sys.exit(1)
    print(f"Pustaka staff-development benchmark, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp) / "people"
        var.mkdir()
        # every request comes from one address: the public routes' per-address limit
        # (GATEWAY_ANONYMOUS_RATE_LIMIT) would measure itself, so it is off here
        unlimited = {"GATEWAY_ANONYMOUS_RATE_LIMIT": "0"}
        with Vhost() as vhost, running_platform(var, vhost.uri, unlimited) as (base, _):
            client = Client(base, admin_key(var))
            done, codes = completion(client, base)
            routes = [
                (
                    "GET /v1/people/verifications/{code} (public)",
                    wrk(f"{base}/v1/people/verifications/{codes[0]}"),
                ),
                ("GET /verify/{code} (the HTML page)", wrk(f"{base}/verify/{codes[0]}")),
            ]
            gaps = gap_reports(client)
    print(f"\n1. A programme of {PARTICIPANTS:,} participants completed")
    print(
        f"   completion (issues every certificate): {done['completed_s']:.2f} s; "
        f"all {done['verified']:,} of {done['certificates']:,} certificates verified "
        f"{done['verifiable_s']:.2f} s after it began"
    )
    print_http_table(
        bare_route(),
        routes,
        title=f"2. The public certificate check, 20 connections, {SECONDS} s each (wrk)",
    )
    print("\n3. Gap reports, 50 requests one after another")
    for label, (p50, p95) in gaps.items():
        print(f"   {label:<28} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")


if __name__ == "__main__":
    main()
