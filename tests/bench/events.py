"""Figures for community programmes: `make bench-events` (or `python tests/bench/events.py`).

Prints, on this machine, in one run of the platform as `make up` starts it:
  1. a popular programme opening: BENCH_REGISTRATIONS (default 1,000) public
     registrations at 50 connections (tests/bench/burst.py, each sent once) for
     BENCH_SEATS (default 100) seats: how many
     were confirmed (exactly the seats), throughput and p50/p99, beside a bare nameko
     @http route making one RPC to a trivial method (tests/bench/bare.py), at 20
     connections (wrk), run in the same session;
  2. check-in lookups by code at 20 connections (wrk, BENCH_SECONDS): target p99 at
     most 50 ms; and at 2 connections (a door's tablets), each beside the bare route
     at as many;
  3. the month's figures over a year of BENCH_YEAR_REGISTRATIONS (default 50,000)
     registrations: p50/p95 of 50 requests one after another (target p95 at most
     100 ms).
BENCH_EVENTS_DATABASE_URL puts the events service on another database (PostgreSQL).
Figures, not assertions.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from chassis.db import make_engine  # noqa: E402
from deploy.wrk import ensure as ensure_wrk  # noqa: E402
from tests.bench.burst import burst  # noqa: E402
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

REGISTRATIONS = int(os.environ.get("BENCH_REGISTRATIONS", "1000"))
SEATS = int(os.environ.get("BENCH_SEATS", "100"))
YEAR = int(os.environ.get("BENCH_YEAR_REGISTRATIONS", "50000"))
CONNECTIONS = 50


def opening(base: str, key: str) -> tuple[dict, list[str]]:
    """A programme of SEATS seats published; REGISTRATIONS people register at once."""
    start = dt.datetime.combine(dt.date.today() + dt.timedelta(days=30), dt.time(9))
    plan = {
        "programme_type": "seminar",
        "title": "Seminar Literasi Digital bersama Penulis Nasional",
        "audience": "all_ages",
        "branch": "SPN",
        "room": "Aula Utama",
        "capacity": SEATS,
        "presenter": {"name": "Penulis tamu"},
        "schedule": {"starts_at": start.isoformat(), "duration_minutes": 180},
    }
    admin = requests.Session()
    admin.headers.update(bearer(key))
    made = admin.post(f"{base}/v1/events/programmes", json=plan, timeout=30).json()
    published = admin.post(
        f"{base}/v1/events/programmes/{made['id']}/transitions",
        json={"to": "published"},
        timeout=30,
    ).json()
    occurrence = published["occurrences"][0]["id"]
    path = f"/v1/events/occurrences/{occurrence}/registrations"
    people = [{"name": f"Peserta {i:05d}", "contact": f"0812{i:08d}"} for i in range(REGISTRATIONS)]
    answers, elapsed = burst(base, [("POST", path, p) for p in people], CONNECTIONS)
    done = []
    for took, status, body in answers:
        item = body["items"][0] if status == 201 else {}
        done.append((took, item.get("status", str(status)), item.get("code", "")))
    times = [t for t, _, _ in done]
    statuses = [s for _, s, _ in done]
    return {
        "confirmed": statuses.count("confirmed"),
        "waitlisted": statuses.count("waitlisted"),
        "failed": len(statuses) - statuses.count("confirmed") - statuses.count("waitlisted"),
        "rps": REGISTRATIONS / elapsed,
        "p50": pct(times, 50),
        "p99": pct(times, 99),
        "seconds": elapsed,
    }, [c for _, s, c in done if s == "confirmed"]


def fill_a_year(url: str) -> str:
    """YEAR registrations over twelve months of completed occurrences at five
    branches, written straight into the service's database; returns a month."""
    from services.events.contract import AUDIENCES, PROGRAMME_TYPES
    from services.events.models import Occurrence, Programme, Registration
    from services.events.times import epoch_of, month_of

    chance = random.Random(14)
    engine = make_engine(url)
    today = dt.date.today()
    first = dt.date(today.year - 1, today.month, 1)
    per_occurrence = 25
    occurrences = YEAR // per_occurrence
    with engine.begin() as conn:
        programme_rows, occurrence_rows = [], []
        for p in range(occurrences // 10):
            programme_rows.append(
                {
                    "programme_type": chance.choice(PROGRAMME_TYPES),
                    "title": f"Kegiatan {p}",
                    "audience": chance.choice(AUDIENCES),
                    "branch_code": chance.choice(["SPN", "PDT", "KMN", "HRW", "PSB"]),
                    "capacity": 30,
                    "quota_release_hours": 24,
                    "status": "completed",
                    "created_at": time.time(),
                    "updated_at": time.time(),
                    "version": 1,
                }
            )
        conn.execute(Programme.__table__.insert(), programme_rows)
        low = conn.execute(Programme.__table__.select().order_by(Programme.seq.desc())).first()
        programme_seqs = list(range(low.seq - len(programme_rows) + 1, low.seq + 1))
        for o in range(occurrences):
            day = first + dt.timedelta(days=chance.randrange(365))
            starts = epoch_of(dt.datetime.combine(day, dt.time(9)))
            occurrence_rows.append(
                {
                    "programme_seq": programme_seqs[o % len(programme_seqs)],
                    "starts_at": starts,
                    "ends_at": starts + 7200,
                    "month": month_of(starts),
                    "status": "completed",
                    "sequence": 0,
                    "updated_at": time.time(),
                }
            )
        conn.execute(Occurrence.__table__.insert(), occurrence_rows)
        top = conn.execute(Occurrence.__table__.select().order_by(Occurrence.seq.desc())).first()
        occurrence_seqs = range(top.seq - occurrences + 1, top.seq + 1)
        rows = []
        for n in range(YEAR):
            came = chance.random() < 0.8
            rows.append(
                {
                    "occurrence_seq": occurrence_seqs[n // per_occurrence],
                    "person_key": f"bench-{n}",
                    "name": "Peserta",
                    "contact": "0812",
                    "partner_seq": None,
                    "status": "confirmed",
                    "was_waitlisted": chance.random() < 0.1,
                    "code": f"{n:08d}".translate(str.maketrans("01", "YZ")),
                    "checked_in_at": time.time() if came else None,
                    "created_at": time.time(),
                    "updated_at": time.time(),
                }
            )
            if len(rows) == 5000:
                conn.execute(Registration.__table__.insert(), rows)
                rows = []
        if rows:
            conn.execute(Registration.__table__.insert(), rows)
    engine.dispose()
    middle = first + dt.timedelta(days=180)
    return middle.strftime("%Y-%m")


def figures(base: str, key: str, month: str) -> tuple[float, float]:
    session = requests.Session()
    session.headers.update(bearer(key))
    times = []
    for _ in range(50):
        began = time.perf_counter()
        session.get(f"{base}/v1/events/figures", params={"month": month}, timeout=60)
        times.append((time.perf_counter() - began) * 1000)
    return pct(times, 50), pct(times, 95)


def main() -> None:
    if not ensure_wrk():
        sys.exit(1)
    print(f"Pustaka community-programmes benchmark, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp) / "events"
        var.mkdir()
        # every request comes from one address: the public routes' per-address limit
        # (GATEWAY_ANONYMOUS_RATE_LIMIT) would measure itself, so it is off here
        env = {"GATEWAY_ANONYMOUS_RATE_LIMIT": "0"}
        database = os.environ.get("BENCH_EVENTS_DATABASE_URL")
        if database:
            env["EVENTS__DATABASE_URL"] = database
        with Vhost() as vhost, running_platform(var, vhost.uri, env) as (base, _):
            key = admin_key(var)
            opened, codes = opening(base, key)
            lookups = wrk(f"{base}/v1/events/check-ins/{codes[0]}", key)
            at_the_door = wrk(f"{base}/v1/events/check-ins/{codes[0]}", key, connections=2)
            url = database or f"sqlite:///{var / 'data' / 'events.db'}"
            began = time.perf_counter()
            month = fill_a_year(url)
            filled = time.perf_counter() - began
            p50, p95 = figures(base, key, month)
    baseline, baseline_door = bare_route(), bare_route(connections=2)
    print(
        f"\n1. A popular programme opens: {REGISTRATIONS:,} registrations at {CONNECTIONS} "
        f"connections for {SEATS} seats"
    )
    print(
        f"   confirmed {opened['confirmed']} (exactly {SEATS} expected), waitlisted "
        f"{opened['waitlisted']}, failed {opened['failed']}; {opened['rps']:.0f} "
        f"registrations/s, p50 {opened['p50']:.1f} ms, p99 {opened['p99']:.1f} ms "
        f"({opened['seconds']:.1f} s in all)"
    )
    print_http_table(
        baseline,
        [("GET /v1/events/check-ins/{code} (branch key)", lookups)],
        title=f"2. Check-in lookups, 20 connections, {SECONDS} s each (wrk); target p99 <= 50 ms",
    )
    print_http_table(
        baseline_door,
        [("GET /v1/events/check-ins/{code} (branch key)", at_the_door)],
        title=f"   and at 2 connections (a door's tablets), {SECONDS} s each",
    )
    print(
        f"\n3. The month's figures over a year of {YEAR:,} registrations "
        f"(written in {filled:.1f} s), 50 requests one after another"
    )
    print(f"   GET /v1/events/figures?month={month}  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")


if __name__ == "__main__":
    main()
