"""Figures for writes: `make bench-writes` (or `python tests/bench/writes.py`).

Prints, on this machine, one table per database (SQLite, then PostgreSQL): each
write route of the platform at 20 connections (wrk, BENCH_SECONDS each), with
req/s, p50, p99, non-2xx answers and its throughput as a multiple of the peer's
write: nameko-examples' `POST /orders` (tests/bench/peer.py) on the same kind of
database, run beside the platform in the same session: every route's run comes
between two of the peer's, and its multiple is of their mean, so that what else
the machine is doing weighs on both alike. A second multiple is by CPU: the CPU
every process spent per request (gateway, parts, broker, database server), the
peer's over the route's, with a table of where it went. Then the uncached reads
(the gateway's caches off: an RPC and a database read every time) beside the
peer's `GET /orders/<id>`.

Every write request is one of its own (a new title, a new copy, a copy's status
flipped...), made up front into a file that tests/bench/requests.lua sends; a
route's records come from the routes before it (copies to change, staff to enrol,
codes to check in), read from the part's database.

Last, the title write again on a platform whose catalogue holds
BENCH_WRITES_LARGE_TITLES (default 1,000,000; 0 skips it) synthetic titles (SQLite, a
copy of the catalogue tests/bench/large_catalogue.py builds once and keeps), beside
the peer: a write must cost no more as the catalogue grows; then that catalogue's
uncached search and a title beside the peer's read.

  BENCH_SECONDS=10  BENCH_WRITES_DATABASES=sqlite,postgresql
  BENCH_WRITES_ROUTES=attendance,survey (by the names in WRITES, and `reads`, `large`;
  all by default): only these are measured; the routes whose records they write to
  run before them, unmeasured
  BENCH_PROFILE=var/profiles (py-spy records every platform process while each
  measured route runs; `python tests/bench/profiles.py var/profiles` sums them up)
  BENCH_WRITES_CONNECTIONS=20 (wrk's connections for the platform's routes; 2 for a
  profile of what a request itself costs, on a machine with cores to spare)
  PUSTAKA_TEST_POSTGRES=postgresql://postgres@127.0.0.1:5432/postgres (the server
  on which each part, and the peer, get a database of their own, dropped after)
Figures, not assertions.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

import requests
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from chassis.db import normalise_url  # noqa: E402
from deploy.wrk import ensure as ensure_wrk  # noqa: E402
from pustaka import platform  # noqa: E402
from services.people.contract import PROGRAMME_ID, STAFF_ID  # noqa: E402
from tests.bench import cpu, profiles  # noqa: E402
from tests.bench.foundation import (  # noqa: E402
    CACHES_OFF,
    SECONDS,
    WRK_THREADS,
    Vhost,
    admin_key,
    bearer,
    first_rebuild_done,
    wrk,
)
from tests.bench.large_catalogue import cached_catalogue  # noqa: E402
from tests.support import free_port, running_platform, stop_process  # noqa: E402

DATABASES = os.environ.get("BENCH_WRITES_DATABASES", "sqlite,postgresql").split(",")
ROUTES = [n for n in os.environ.get("BENCH_WRITES_ROUTES", "").split(",") if n]
LARGE = int(os.environ.get("BENCH_WRITES_LARGE_TITLES", "1000000"))
# Fewer for a profile of a write's own cost: on a busy machine py-spy counts the time a
# process waits for a core as time in the function it was in (a send, mostly).
CONNECTIONS = int(os.environ.get("BENCH_WRITES_CONNECTIONS", "20"))
POSTGRES = os.environ.get("PUSTAKA_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
# Requests made per route: more than the fastest route sends in BENCH_SECONDS.
LINES = int(os.environ.get("BENCH_WRITE_LINES", str(2000 * SECONDS)))
REQUESTS = Path(__file__).with_name("requests.lua")
# Where py-spy's recordings of each measured route go (none by default).
PROFILE = Path(os.environ["BENCH_PROFILE"]) if os.environ.get("BENCH_PROFILE") else None
PEER_WRITE = "the peer's POST /orders"
SEARCH = "/v1/catalog/titles?q=perpustakaan"  # a search of the demo collection's words
PEER_READ = "the peer's GET /orders/<id>"
ORDER = {"order_details": [{"product_id": 7, "price": "99.50", "quantity": 2}]}
BRANCHES = ("SPN", "PDT", "KMN", "HRW", "PSB")
Line = tuple[str, str, dict | None]  # method, path, body


# -- databases ---------------------------------------------------------------------


@contextmanager
def databases(kind: str) -> Iterator[tuple[dict, str]]:
    """(the platform's environment for `kind`, the peer's database URL)."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield {}, f"sqlite:///{tmp}/orders.db"
        return
    admin = create_engine(normalise_url(POSTGRES), isolation_level="AUTOCOMMIT")
    made = []

    def new() -> str:
        name = f"pustaka_bench_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return admin.url.set(database=name).render_as_string(hide_password=False)

    try:
        env = {f"{p.name.upper()}__DATABASE_URL": new() for p in platform.parts()}
        yield env, new()
    finally:
        with admin.connect() as conn:
            for name in made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def part_url(env: dict, var: Path, part: str) -> str:
    return env.get(f"{part.upper()}__DATABASE_URL") or f"sqlite:///{var / 'data' / part}.db"


def query(url: str, sql: str, **params) -> list:
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as conn:
            return [row[0] for row in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


# -- the peer ----------------------------------------------------------------------


@contextmanager
def running_peer(database_url: str) -> Iterator[str]:
    """nameko-examples' orders service and gateway, each a process, on a vhost of
    their own; yields the gateway's base URL once an order can be made."""
    peer = [sys.executable, "-m", "tests.bench.peer"]
    subprocess.run([*peer, "schema", "", database_url], cwd=ROOT, check=True)
    port = free_port()
    with Vhost() as vhost, ExitStack() as stack:
        for role in ("orders", "gateway"):
            proc = subprocess.Popen(
                [*peer, role, vhost.uri, database_url, f"127.0.0.1:{port}"],
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            stack.callback(stop_process, proc)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.post(f"{base}/orders", json=ORDER, timeout=5).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("the peer did not take an order within 60 s")
            time.sleep(0.3)
        yield base


# -- what each route sends ---------------------------------------------------------


def write_lines(path: Path, lines: list[Line]) -> Path:
    with open(path, "w") as out:
        for method, url_path, body in lines:
            out.write(f"{method}\t{url_path}\t{json.dumps(body) if body else ''}\n")
    return path


class Setting:
    """The records the routes write to, made through the API before the first run."""

    def __init__(self, base: str, key: str, env: dict, var: Path):
        self.base, self.env, self.var = base, env, var
        self.http = requests.Session()
        self.http.headers.update(bearer(key))
        today = dt.date.today()
        self.titles = [
            self.post("/v1/catalog/titles", {"title": f"Buku stok {n}", "authors": ["Penulis"]})[
                "id"
            ]
            for n in range(20)
        ]
        self.barcodes = [f"BW{n:07d}" for n in range(LINES)]
        self.staff_before = max(query(self.url("people"), "SELECT max(seq) FROM staff"))
        # several, so that each member of staff the route before made is enrolled
        # more than once: that route is slower than this one
        self.trainings = [
            self.post("/v1/people/programmes", _training(today))["id"] for _ in range(4)
        ]
        for training in self.trainings:
            self.move(f"/v1/people/programmes/{training}/transitions", "scheduled")
        self.occurrences = [self.occurrence(today, n) for n in range(4)]
        nps = self.post("/v1/feedback/campaigns", _campaign(today))
        self.survey = nps["public_link"].removeprefix("/s/")
        self.suggestions = [
            self.post(
                "/v1/feedback/suggestions",
                {"kind": "collection", "member": f"KTA-S{n}", "title": f"Usulan buku {n}"},
            )["id"]
            for n in range(20)
        ]

    def url(self, part: str) -> str:
        return part_url(self.env, self.var, part)

    def post(self, path: str, body: dict) -> dict:
        answer = self.http.post(self.base + path, json=body, timeout=60)
        if not answer.ok:
            raise AssertionError(f"{path}: {answer.status_code} {answer.text}")
        return answer.json()

    def move(self, path: str, to: str) -> dict:
        return self.post(path, {"to": to})

    def occurrence(self, today: dt.date, n: int) -> str:
        start = dt.datetime.combine(today + dt.timedelta(days=30 + n), dt.time(9))
        plan = {
            "programme_type": "seminar",
            "title": f"Seminar literasi {n}",
            "audience": "all_ages",
            "branch": BRANCHES[n % len(BRANCHES)],
            "room": "Aula Utama",
            "capacity": 5000,
            "presenter": {"name": "Penulis tamu"},
            "schedule": {"starts_at": start.isoformat(), "duration_minutes": 120},
        }
        made = self.post("/v1/events/programmes", plan)
        published = self.move(f"/v1/events/programmes/{made['id']}/transitions", "published")
        return published["occurrences"][0]["id"]


def _training(today: dt.date) -> dict:
    day = today + dt.timedelta(days=7)
    return {
        "kind": "training",
        "topic": "Pelatihan layanan referensi",
        "hours": 16,
        "trainer": {"name": "Perpustakaan Nasional RI"},
        "capacity": 1000,
        "sessions": [
            {
                "date": (day + dt.timedelta(days=n)).isoformat(),
                "start": "08:00",
                "end": "16:00",
                "venue": {"kind": "room", "branch": "SPN", "room": "Aula"},
            }
            for n in range(3)
        ],
    }


def _campaign(today: dt.date) -> dict:
    return {
        "template": "nps",
        "subject_type": "branch",
        "subject_id": f"KMN-nps-bench-{uuid.uuid4().hex[:6]}",
        "title": "Layanan KMN",
        "branch": "KMN",
        "opens_on": today.isoformat(),
        "closes_on": (today + dt.timedelta(days=365)).isoformat(),
    }


def _tag() -> str:
    return uuid.uuid4().hex[:6]  # a run's records differ from an earlier run's


def new_titles(s: Setting) -> list[Line]:
    tag = _tag()
    return [
        ("POST", "/v1/catalog/titles", {"title": f"Judul uji {tag} {n}", "authors": ["Penulis"]})
        for n in range(LINES)
    ]


def new_copies(s: Setting) -> list[Line]:
    return [
        (
            "POST",
            f"/v1/catalog/titles/{s.titles[n % len(s.titles)]}/items",
            {"barcode": barcode, "branch": BRANCHES[n % len(BRANCHES)]},
        )
        for n, barcode in enumerate(s.barcodes)
    ]


def copy_statuses(s: Setting) -> list[Line]:
    made = query(s.url("catalog"), "SELECT barcode FROM items WHERE barcode LIKE 'BW%'")
    # each copy goes to repair and comes back: every request is a change
    return [
        ("PATCH", f"/v1/catalog/items/{barcode}", {"status": status})
        for status in ("in_repair", "available")
        for barcode in made
    ][:LINES]


def new_staff(s: Setting) -> list[Line]:
    tag = _tag()
    return [
        (
            "POST",
            "/v1/people/staff",
            {"name": f"Pegawai {tag} {n}", "branch": BRANCHES[n % 5], "position": "mahir"},
        )
        for n in range(LINES)
    ]


def enrolments(s: Setting) -> list[Line]:
    made = query(
        s.url("people"), "SELECT seq FROM staff WHERE seq > :n ORDER BY seq", n=s.staff_before
    )
    return [
        ("POST", f"/v1/people/programmes/{training}/enrolments", {"staff_id": STAFF_ID.format(seq)})
        for seq in made
        for training in s.trainings
    ][:LINES]


def attendance(s: Setting) -> list[Line]:
    training = s.trainings[0]
    s.move(f"/v1/people/programmes/{training}/transitions", "running")
    enrolled = query(
        s.url("people"),
        "SELECT staff_seq FROM enrolments WHERE status = 'enrolled' AND programme_seq = :p"
        " ORDER BY seq",
        p=PROGRAMME_ID.parse(training),
    )
    path = f"/v1/people/programmes/{training}/attendance"
    marks = [
        {"session": session, "marks": [{"staff_id": STAFF_ID.format(seq), "present": present}]}
        for present in (True, False)
        for session in (1, 2, 3)
        for seq in enrolled
    ]
    return [("POST", path, body) for body in marks][:LINES]


def registrations(s: Setting) -> list[Line]:
    tag = _tag()
    return [
        (
            "POST",
            f"/v1/events/occurrences/{s.occurrences[n % len(s.occurrences)]}/registrations",
            {"name": f"Peserta {tag} {n}", "contact": f"0813{n:08d}"},
        )
        for n in range(LINES)
    ]


def check_ins(s: Setting) -> list[Line]:
    # At a door still open: the demo's past occurrences have confirmed codes too, each
    # a 409 there.
    codes = query(
        s.url("events"),
        "SELECT r.code FROM registrations r JOIN occurrences o ON o.seq = r.occurrence_seq"
        " WHERE r.status = 'confirmed' AND r.checked_in_at IS NULL AND o.status = 'scheduled'",
    )
    return [("POST", f"/v1/events/check-ins/{code}", None) for code in codes][:LINES]


def survey_answers(s: Setting) -> list[Line]:
    path = f"/v1/feedback/surveys/{s.survey}/responses"
    return [("POST", path, {"answers": {"rekomendasi": n % 11}}) for n in range(LINES)]


def tickets(s: Setting) -> list[Line]:
    return [
        (
            "POST",
            "/v1/feedback/tickets",
            {"category": "facility", "branch": BRANCHES[n % 5], "message": f"AC ruang baca {n}"},
        )
        for n in range(LINES)
    ]


def suggestions(s: Setting) -> list[Line]:
    tag = _tag()
    return [
        (
            "POST",
            "/v1/feedback/suggestions",
            {"kind": "collection", "member": f"KTA-{tag}-{n}", "title": f"Buku usulan {n}"},
        )
        for n in range(LINES)
    ]


def votes(s: Setting) -> list[Line]:
    tag = _tag()
    return [
        (
            "POST",
            f"/v1/feedback/suggestions/{s.suggestions[n % len(s.suggestions)]}/votes",
            {"member": f"KTA-V{tag}-{n}"},
        )
        for n in range(LINES)
    ]


@dataclass(frozen=True)
class Route:
    name: str  # what BENCH_WRITES_ROUTES calls it
    label: str
    lines: Callable[[Setting], list[Line]]
    needs: tuple[str, ...] = ()  # the routes whose records it writes to


# In this order: a route's records come from the ones before it.
WRITES = [
    Route("title", "POST /v1/catalog/titles", new_titles),
    Route("copy", "POST /v1/catalog/titles/{id}/items", new_copies),
    Route("copy-status", "PATCH /v1/catalog/items/{barcode}", copy_statuses, ("copy",)),
    Route("staff", "POST /v1/people/staff", new_staff),
    Route("enrolment", "POST /v1/people/programmes/{id}/enrolments", enrolments, ("staff",)),
    Route("attendance", "POST /v1/people/programmes/{id}/attendance", attendance, ("enrolment",)),
    Route("registration", "POST /v1/events/occurrences/{id}/registrations", registrations),
    Route("check-in", "POST /v1/events/check-ins/{code}", check_ins, ("registration",)),
    Route("survey", "POST /v1/feedback/surveys/{token}/responses", survey_answers),
    Route("ticket", "POST /v1/feedback/tickets", tickets),
    Route("suggestion", "POST /v1/feedback/suggestions", suggestions),
    Route("vote", "POST /v1/feedback/suggestions/{id}/votes", votes),
]
# The uncached reads and the title write on the large catalogue, by the same names.
READS, LARGE_TITLES = "reads", "large"
READS_NEED = ("copy", "registration")
ALL = [route.name for route in WRITES] + [READS, LARGE_TITLES]


def chosen(names: list[str]) -> set[str]:
    """The routes named, and those whose records they write to (run unmeasured)."""
    unknown = set(names) - set(ALL)
    if unknown:
        sys.exit(f"BENCH_WRITES_ROUTES: no route {', '.join(sorted(unknown))}; {', '.join(ALL)}")
    needs = {route.name: route.needs for route in WRITES} | {READS: READS_NEED}
    wanted, more = set(), list(names)
    while more:
        name = more.pop()
        if name not in wanted:
            wanted.add(name)
            more += needs.get(name, ())
    return wanted


# -- the runs ----------------------------------------------------------------------


def measured(run: Callable[[], dict], profiled: str | None = None) -> dict:
    """wrk's figures, and the CPU each process spent per request meanwhile; with
    BENCH_PROFILE, the platform's processes sampled by py-spy for the route
    `profiled` names."""
    before = cpu.snapshot()
    recorders = []
    if PROFILE and profiled:
        ours = {f"{g}-{pid}": pid for g, pid in before if g not in ("broker", "postgres")}
        ours = {name: pid for name, pid in ours.items() if not name.startswith("peer")}
        recorders = profiles.record(PROFILE, profiled, ours, max(SECONDS - 1, 1))
    figures = run()
    profiles.finish(recorders)
    figures["cpu"] = cpu.per_request(before, cpu.snapshot(), figures["requests"])
    return figures


def send(
    base: str, key: str | None, lines: list[Line], tmp: Path, profiled: str | None = None
) -> dict:
    name = tmp / f"requests-{uuid.uuid4().hex[:6]}.tsv"
    script_file = write_lines(name, lines)
    args = (str(script_file), str(WRK_THREADS))
    return measured(
        lambda: wrk(base, key, REQUESTS, connections=CONNECTIONS, script_args=args), profiled
    )


def read(url: str, key: str | None = None, profiled: str | None = None) -> dict:
    return measured(lambda: wrk(url, key, REQUESTS, connections=CONNECTIONS), profiled)


def bench(kind: str, tmp: Path, measure: list[str]) -> tuple[list, list]:
    """(writes, uncached reads), each beside the peer's, on one database: the routes
    `measure` names, after those whose records they need, sent unmeasured."""
    var = tmp / kind
    var.mkdir()
    env = {**CACHES_OFF, "GATEWAY_ANONYMOUS_RATE_LIMIT": "0"}
    needed = chosen(measure)
    with databases(kind) as (database_env, peer_url):
        env.update(database_env)
        with (
            running_peer(peer_url) as peer,
            Vhost() as vhost,
            running_platform(var, vhost.uri, env) as (base, _),
        ):
            key = admin_key(var)
            # insight's first rebuild from the demo's records (REBUILD_ON_START), done
            # before anything is measured: it would weigh on the first runs alone.
            first_rebuild_done(base, key)
            setting = Setting(base, key, env, var)
            order = [("POST", "/orders", ORDER)] * WRK_THREADS
            runs = []
            for route in WRITES:
                run = lambda route=route: send(  # noqa: E731
                    base, key, route.lines(setting), tmp, f"{kind} {route.name}"
                )
                if route.name in measure:
                    runs.append((route.label, run))
                elif route.name in needed:
                    runs.append((route.label, run, "unmeasured"))
            writes = alternate(runs, lambda: send(peer, None, order, tmp))
            reads = []
            if READS in measure:
                reads = alternate(
                    [
                        (label, lambda url=url, label=label: read(url, key, f"{kind} {label}"))
                        for label, url in uncached_reads(setting)
                    ],
                    lambda: read(f"{peer}/orders/1"),
                )
    return writes, reads


def alternate(runs: list[tuple], peer: Callable[[], dict]) -> list:
    """Each run between two of the peer's, on the same machine in the same minute:
    [(label, figures, (peer's figures before, after))]. A run marked "unmeasured"
    only makes records for the next, with no peer's beside it and no row."""
    rows, before = [], None
    for label, run, *unmeasured in runs:
        if unmeasured:
            print(f"   {label}: run for its records", file=sys.stderr, flush=True)
            run()
            before = None  # the peer's run before the next measured one is after this
            continue
        before = before or peer()
        figures = run()
        after = peer()
        rows.append((label, figures, (before, after)))
        print(f"   {label}: {figures['rps']:.0f} req/s", file=sys.stderr, flush=True)
        before = after
    return rows


def large_catalogue(catalogue: Path, tmp: Path) -> tuple[list, list]:
    """The title write on a copy of the large catalogue, beside the peer's write; then
    its uncached search and a title, beside the peer's read: (writes, reads)."""
    var = tmp / "large"
    (var / "data").mkdir(parents=True)
    copy = var / "data" / "catalog.db"
    shutil.copyfile(catalogue, copy)
    # No first rebuild of insight's read models from the catalogue's state: at a
    # million titles it reads them for many minutes (backfill.py writes a row at a
    # time), one core's worth, which would weigh on every run below.
    env = {
        **CACHES_OFF,
        "CATALOG__DATABASE_URL": f"sqlite:///{copy}",
        "INSIGHT__REBUILD_ON_START": "false",
    }
    order = [("POST", "/orders", ORDER)] * WRK_THREADS
    with (
        databases("sqlite") as (_, peer_url),
        running_peer(peer_url) as peer,
        Vhost() as vhost,
        running_platform(var, vhost.uri, env) as (base, _),
    ):
        key = admin_key(var)
        label = f"POST /v1/catalog/titles, {LARGE:,} titles"
        writes = alternate(
            [(label, lambda: send(base, key, new_titles(None), tmp))],
            lambda: send(peer, None, order, tmp),
        )
        found = requests.get(f"{base}{SEARCH}", headers=bearer(key), timeout=30).json()
        title = found["items"][0]["id"]
        paths = [
            ("GET /v1/catalog/titles?q=perpustakaan", SEARCH),
            ("GET /v1/catalog/titles/{id}", f"/v1/catalog/titles/{title}"),
        ]
        reads = alternate(
            [
                (f"{route}, {LARGE:,} titles", lambda url=f"{base}{path}": read(url, key))
                for route, path in paths
            ],
            lambda: read(f"{peer}/orders/1"),
        )
        return writes, reads


def uncached_reads(s: Setting) -> list[tuple[str, str]]:
    code = query(s.url("events"), "SELECT code FROM registrations LIMIT 1")[0]
    barcode = query(s.url("catalog"), "SELECT barcode FROM items WHERE barcode LIKE 'BW%' LIMIT 1")[
        0
    ]
    return [
        ("GET /v1/catalog/titles/{id}", f"{s.base}/v1/catalog/titles/{s.titles[0]}"),
        ("GET /v1/catalog/branches", f"{s.base}/v1/catalog/branches"),
        ("GET /v1/catalog/titles?q=perpustakaan", f"{s.base}{SEARCH}"),
        ("GET /v1/catalog/items/{barcode}", f"{s.base}/v1/catalog/items/{barcode}"),
        ("GET /v1/events/check-ins/{code}", f"{s.base}/v1/events/check-ins/{code}"),
    ]


def table(title: str, rows: list) -> None:
    """Each route's figures, and its throughput as a multiple of the peer's in the
    runs just before and after it; and as a multiple by CPU: the peer's CPU per
    request (every process: gateway, part, broker, database) over the route's."""
    print(f"\n{title}")
    print(
        f"   {'route':<48} {'req/s':>6} {'p50 ms':>7} {'p99 ms':>7} {'non-2xx':>7}"
        f" {'peer':>5} {'x peer':>6} {'by CPU':>6}"
    )
    for label, r, (before, after) in rows:
        peer = (before["rps"] + after["rps"]) / 2
        by_cpu = mean(_cpu_total(p) for p in (before, after)) / max(_cpu_total(r), 1e-9)
        print(
            f"   {label:<48} {r['rps']:>6.0f} {r['p50']:>7.1f} {r['p99']:>7.1f}"
            f" {r['non2xx']:>7} {peer:>5.0f} {r['rps'] / peer:>6.2f} {by_cpu:>6.2f}"
        )
        if r["answered"]:
            codes = ", ".join(f"{n} x {status}" for status, n in sorted(r["answered"].items()))
            print(f"   {'':<48} non-2xx: {codes}")
        if r["socket_errors"]:
            print(f"   {'':<48} {r['socket_errors']} requests had no answer (socket errors)")
    peers = [p for _, _, pair in rows for p in pair]
    print(
        f"   the peer: p50 {mean(p['p50'] for p in peers):.1f} ms, p99"
        f" {mean(p['p99'] for p in peers):.1f} ms (means of its runs)"
    )


def _cpu_total(figures: dict) -> float:
    return sum(figures["cpu"].values())


def cpu_table(title: str, rows: list) -> None:
    """Where each route's time goes: CPU ms per request, by process (the broker and
    the database server: all they did meanwhile, for whoever asked)."""
    print(f"\n{title}")
    print(
        f"   {'route':<48} {'gateway':>7} {'part':>7} {'others':>7} {'broker':>7}"
        f" {'pg':>7} {'total':>7}"
    )
    peer = mean_cpu(p["cpu"] for _, _, pair in rows for p in pair)
    named = [
        ("the peer (part: orders)", {**peer, "gateway": peer.get("peer gateway", 0.0)}, "orders")
    ]
    named += [(label, r["cpu"], label.split("/")[2]) for label, r, _ in rows]
    for label, spent, part in named:
        own = spent.get(part, spent.get(f"peer {part}", 0.0))
        gateway = spent.get("gateway", 0.0)
        each_other = {
            g: v
            for g, v in spent.items()
            if g not in {"gateway", part, "broker", "postgres"} and not g.startswith("peer")
        }
        others = sum(each_other.values())
        broker, pg = spent.get("broker", 0.0), spent.get("postgres", 0.0)
        total = gateway + own + others + broker + pg
        print(
            f"   {label:<48} {gateway:>7.2f} {own:>7.2f} {others:>7.2f} {broker:>7.2f}"
            f" {pg:>7.2f} {total:>7.2f}"
        )
        if each_other:  # the parts its events reach, the busiest first
            spread = sorted(each_other.items(), key=lambda kv: -kv[1])
            print("   " + " " * 6 + ", ".join(f"{g} {v:.2f}" for g, v in spread))


def mean_cpu(runs) -> dict[str, float]:
    runs = list(runs)
    groups = {g for r in runs for g in r}
    return {g: mean(r.get(g, 0.0) for r in runs) for g in groups}


def main() -> None:
    if not ensure_wrk():
        sys.exit(1)
    load = os.getloadavg()
    print(
        f"Pustaka writes benchmark, {os.cpu_count()} cores, load {load[0]:.2f} at the start;"
        f" 20 connections, {SECONDS} s each (wrk)"
    )
    measure = ROUTES or ALL
    chosen(measure)  # a name that is no route stops the run before anything starts
    large = LARGE if LARGE_TITLES in measure else 0
    if large:  # built before any platform starts: it takes every core a while
        print(f"   the synthetic catalogue of {large:,} titles", file=sys.stderr, flush=True)
        catalogue = cached_catalogue(large)
    with tempfile.TemporaryDirectory() as tmp:
        for kind in DATABASES:
            writes, reads = bench(kind, Path(tmp), measure)
            if writes:
                table(f"Writes, {kind}, beside {PEER_WRITE}", writes)
                cpu_table(f"CPU ms per write, {kind}, by process", writes)
            if reads:
                table(f"Uncached reads, {kind}, beside {PEER_READ}", reads)
                cpu_table(f"CPU ms per read, {kind}, by process", reads)
        if large:
            writes, reads = large_catalogue(catalogue, Path(tmp))
            table(f"The title write on {large:,} titles, sqlite, beside {PEER_WRITE}", writes)
            cpu_table("CPU ms per write, by process", writes)
            table(f"Uncached reads on {large:,} titles, sqlite, beside {PEER_READ}", reads)
    print(f"\nload {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
