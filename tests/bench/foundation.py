"""Figures for the foundation: `make bench` (or `python tests/bench/foundation.py`).

Prints, on this machine, in one run:
  1. HTTP at 20 connections (wrk, BENCH_SECONDS each), one table with each route's
     throughput as a multiple of a bare nameko @http route making one RPC to a
     trivial method (tests/bench/bare.py), the pattern of nameko's own examples:
       GET  /v1/catalog/titles/{id}           a title
       GET  /v1/catalog/branches              the branches and their locations
       GET  /v1/catalog/titles?q=perpustakaan a search of the demo collection
       GET  /v1/catalog/items/{barcode}       a copy: never cached, an RPC every time
       the same search at BENCH_SEARCH_TITLES titles (default 1,000,000): a
            platform of its own, on a copy of a synthetic catalogue built once
            before it starts and kept in var/bench/ (tests/bench/large_catalogue.py)
       POST /v1/catalog/titles                a new title each request (new_title.lua)
     The reads twice: as the platform runs (the gateway answers titles, the branch
     list and search pages from memory), and with the gateway's caches off, so that
     every read is an RPC and a database read in the catalogue (the uncached path).
  2. events per second from the outbox relay to a subscriber, beside nameko's own
     EventDispatcher from 1 and from 10 emitters;
  3. commit-to-subscriber latency of the relay at 500 events/s.
Figures, not assertions. Each platform and the bare route get a vhost of their own
(management API), a data directory and a port. wrk is installed if missing where
that can be done (deploy/wrk.py), else the run stops saying how to get it.

  BENCH_SECONDS=10  BENCH_SEARCH_TITLES=1000000  BENCH_EVENTS=50000
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

import requests
from kombu import Connection, Exchange, Queue

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from chassis.config import load_config  # noqa: E402
from deploy.wrk import ensure as ensure_wrk  # noqa: E402
from tests.bench.large_catalogue import cached_catalogue  # noqa: E402
from tests.support import free_port, running_platform, stop_process, wait_http  # noqa: E402

AMQP_BASE = load_config()["AMQP_URI"]
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
EVENTS = int(os.environ.get("BENCH_EVENTS", "50000"))
SEARCH_TITLES = int(os.environ.get("BENCH_SEARCH_TITLES", "1000000"))
SEARCH_PATH = "/v1/catalog/titles?q=perpustakaan"
ITEM_PATH = "/v1/catalog/items/KMN-0001-1"  # a copy of the demo collection
WRK_THREADS = 2
CACHES_OFF = {"GATEWAY_CACHE_SECONDS": "0", "GATEWAY_SEARCH_CACHE_SECONDS": "0"}
NEW_TITLE = Path(__file__).with_name("new_title.lua")
Row = tuple[str, dict]  # a route's label and its wrk figures


class Vhost:
    """A throwaway vhost, so the benchmark never meets a running platform's queues."""

    def __init__(self):
        parsed = urlparse(AMQP_BASE)
        self.api = f"http://{parsed.hostname}:15672/api"
        self.auth = (parsed.username or "guest", parsed.password or "guest")
        self.name = f"pustaka_bench_{uuid.uuid4().hex[:8]}"
        self.uri = f"amqp://{parsed.netloc}/{self.name}"

    def __enter__(self):
        requests.put(
            f"{self.api}/vhosts/{self.name}", auth=self.auth, timeout=10
        ).raise_for_status()
        requests.put(
            f"{self.api}/permissions/{self.name}/{self.auth[0]}",
            auth=self.auth,
            timeout=10,
            json={"configure": ".*", "write": ".*", "read": ".*"},
        ).raise_for_status()
        return self

    def __exit__(self, *exc):
        requests.delete(f"{self.api}/vhosts/{self.name}", auth=self.auth, timeout=10)


def wrk(
    url: str,
    key: str | None = None,
    script: Path | None = None,
    connections: int = 20,
    script_args: tuple[str, ...] = (),
    headers: tuple[str, ...] = (),
) -> dict:
    """wrk's figures for `url`: req/s, p50/p90/p99 in ms, non-2xx answers, and socket
    errors (requests that got no answer at all, wrk's 2 s timeout among them).
    `headers` are sent too ("Connection: close": a new connection per request)."""
    cmd = ["wrk", f"-t{WRK_THREADS}", f"-c{connections}", f"-d{SECONDS}s", "--latency"]
    if key:
        cmd += ["-H", f"Authorization: Bearer {key}"]
    for header in headers:
        cmd += ["-H", header]
    if script:
        cmd += ["-s", str(script)]
    tail = ["--", *script_args] if script_args else []
    out = subprocess.run([*cmd, url, *tail], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    pct = {p: _ms(v) for p, v in re.findall(r"\s(50|90|99)%\s+([\d.]+\w+)", out)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    sent = re.search(r"(\d+) requests in", out)
    p95 = re.search(r"^p95 (\d+)$", out, re.M)  # where the script is percentile.lua
    if p95:
        pct["95"] = int(p95.group(1)) / 1000
    return {
        "rps": rate,
        "requests": int(sent.group(1)) if sent else 0,
        **{f"p{p}": v for p, v in pct.items()},
        "non2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": sum(map(int, sockets.groups())) if sockets else 0,
        # what a script that counts them (requests.lua) says of the non-2xx answers
        "answered": {int(s): int(n) for s, n in re.findall(r"answered (\d+): (\d+)", out)},
    }


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def admin_key(var: Path) -> str:
    return (var / "demo-admin.key").read_text().strip()


def matches(base: str, key: str) -> int:
    """How many titles the benchmark's search finds: the figure that says what it costs."""
    found = requests.get(base + SEARCH_PATH, headers=bearer(key), timeout=30)
    return found.json().get("total", 0) if found.ok else 0


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


def add_title(base: str, key: str) -> str:
    """A title made through the gateway, which caches what it creates."""
    made = requests.post(
        base + "/v1/catalog/titles",
        headers=bearer(key),
        json={"title": "Laskar Pelangi", "authors": ["Andrea Hirata"]},
        timeout=10,
    )
    return made.json()["id"]


def demo_routes(var: Path, cached: bool) -> tuple[list[Row], list[Row]]:
    """(reads, writes) on the platform as `make up` first starts it, with its demo
    collection (or with the gateway's caches off); each route in turn, the write
    last, so that its titles are not read."""
    var.mkdir()
    how = "" if cached else ", uncached"
    with (
        Vhost() as vhost,
        running_platform(var, vhost.uri, {} if cached else CACHES_OFF) as (
            base,
            _,
        ),
    ):
        key = admin_key(var)
        title_id = add_title(base, key)
        found = matches(base, key)
        reads = [
            (
                f"GET /v1/catalog/titles/{{id}}{how}",
                wrk(f"{base}/v1/catalog/titles/{title_id}", key),
            ),
            (f"GET /v1/catalog/branches{how}", wrk(base + "/v1/catalog/branches", key)),
            (f"search, demo collection ({found} found){how}", wrk(base + SEARCH_PATH, key)),
        ]
        if not cached:
            return [
                *reads,
                ("GET /v1/catalog/items/{barcode}, uncached", wrk(base + ITEM_PATH, key)),
            ], []
        write = wrk(base + "/v1/catalog/titles", key, NEW_TITLE)
        return reads, [("POST /v1/catalog/titles (a new title each)", write)]


def large_search(var: Path, catalogue: Path) -> list[Row]:
    """The same search on a platform whose catalogue is a copy of the large synthetic
    one (the copy is what the platform migrates and writes its demo into; the kept
    file is never opened by it), with the page cache on and off."""
    (var / "data").mkdir(parents=True)
    copy = var / "data" / "catalog.db"
    shutil.copyfile(catalogue, copy)
    rows = []
    for env, how in (({}, ""), (CACHES_OFF, ", uncached")):
        env = {**env, "CATALOG__DATABASE_URL": f"sqlite:///{copy}"}
        with Vhost() as vhost, running_platform(var, vhost.uri, env) as (base, _):
            key = admin_key(var)
            found = matches(base, key)
            label = f"search, {SEARCH_TITLES:,} titles ({found:,} found){how}"
            rows.append((label, wrk(base + SEARCH_PATH, key)))
    return rows


def bare_route(connections: int = 20) -> dict:
    """The baseline: tests/bench/bare.py, in a process of its own, on its own vhost."""
    port = free_port()
    with Vhost() as vhost:
        bare = subprocess.Popen(
            [sys.executable, "-m", "tests.bench.bare", f"127.0.0.1:{port}", vhost.uri],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_http(f"http://127.0.0.1:{port}/bare/1", bare)
            return wrk(f"http://127.0.0.1:{port}/bare/1", connections=connections)
        finally:
            stop_process(bare)


def print_http_table(baseline: dict, routes: list[Row], title: str = "") -> None:
    print(
        "\n" + (title or f"1. HTTP, 20 connections, {SECONDS} s each (wrk); search: {SEARCH_PATH}")
    )
    print(
        f"   {'route':<50} {'req/s':>8} {'p50 ms':>7} {'p90 ms':>7} {'p99 ms':>7}"
        f" {'non-2xx':>8} {'x bare':>7}"
    )
    rows = [("bare nameko @http + one RPC", baseline), *routes]
    for name, r in rows:
        latency = f"{r['p50']:>7.1f} {r['p90']:>7.1f} {r['p99']:>7.1f}"
        ratio = r["rps"] / baseline["rps"] if baseline["rps"] else float("nan")
        print(f"   {name:<50} {r['rps']:>8.0f} {latency} {r['non2xx']:>8} {ratio:>7.2f}")
    for name, r in rows:
        if r["socket_errors"]:
            print(f"   {name}: {r['socket_errors']} requests had no answer (socket errors)")


def bench_http(tmp: Path) -> None:
    print(f"\n   synthetic catalogue for the large search ({SEARCH_TITLES:,} titles)", flush=True)
    catalogue = cached_catalogue(SEARCH_TITLES)  # before any platform starts
    reads, writes = demo_routes(tmp / "demo", cached=True)
    uncached, _ = demo_routes(tmp / "uncached", cached=False)
    routes = reads + uncached + large_search(tmp / "large", catalogue) + writes
    print_http_table(bare_route(), routes)


class Counter:
    """A plain AMQP subscriber on bench.events that counts and times arrivals."""

    def __init__(self, uri: str):
        self.conn = Connection(uri)
        self.queue = Queue(
            f"bench-{uuid.uuid4().hex[:6]}",
            exchange=Exchange("bench.events", "topic", durable=True),
            routing_key="#",
            durable=False,
            auto_delete=True,
        )
        self.consumer = self.conn.Consumer([self.queue], callbacks=[self.on_message], no_ack=True)
        self.consumer.qos(prefetch_count=0)
        self.consumer.consume()
        self.count, self.first, self.last, self.latencies = 0, None, None, []

    def on_message(self, body, message) -> None:
        now = time.time()
        self.count += 1
        self.first = self.first or now
        self.last = now
        sent = datetime.fromisoformat(body["time"].replace("Z", "+00:00")).timestamp()
        self.latencies.append((now - sent) * 1000)

    def until(self, n: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.count < n and time.monotonic() < deadline:
            with contextlib.suppress(TimeoutError):
                self.conn.drain_events(timeout=1)

    def close(self) -> None:
        self.conn.release()


def emit(mode: str, uri: str, db_url: str, n: int, arg: int, expect: int) -> tuple[dict, Counter]:
    counter = Counter(uri)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.bench.emitters", mode, uri, db_url, str(n), str(arg)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    json.loads(proc.stdout.readline())  # ready
    proc.stdin.write("go\n")
    proc.stdin.flush()
    counter.until(expect, timeout=600)
    result = json.loads(proc.stdout.readline())
    proc.wait(timeout=60)
    counter.close()
    return result, counter


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def bench_events(tmp: Path) -> None:
    print(f"\n2. Events delivered to a subscriber ({EVENTS} events)")
    with Vhost() as vhost:
        rows = []
        for label, mode, arg, db in (
            ("outbox relay (SQLite, batches of 1000)", "relay", 1, f"sqlite:///{tmp}/relay.db"),
            ("nameko EventDispatcher, 1 emitter", "nameko", 1, ""),
            ("nameko EventDispatcher, 10 emitters", "nameko", 10, ""),
        ):
            result, counter = emit(mode, vhost.uri, db, EVENTS, arg, EVENTS)
            took = counter.last - result["started"]
            rows.append((label, counter.count, counter.count / took))
        for label, count, rate in rows:
            print(f"   {label:<44} {count:>7} received  {rate:>8.0f} events/s")

        rate = 500
        result, counter = emit(
            "paced", vhost.uri, f"sqlite:///{tmp}/paced.db", SECONDS, rate, SECONDS * rate
        )
        print(f"\n3. Commit-to-subscriber latency, relay at {rate} events/s for {SECONDS} s")
        print(
            f"   received {counter.count}/{result['sent']}; "
            f"p50 {pct(counter.latencies, 50):.1f} ms, p99 {pct(counter.latencies, 99):.1f} ms, "
            f"max {max(counter.latencies):.1f} ms"
        )


def main() -> None:
    if not ensure_wrk():
        sys.exit(1)
    broker = urlparse(AMQP_BASE).hostname
    print(f"Pustaka foundation benchmark, {os.cpu_count()} cores, broker {broker}")
    with tempfile.TemporaryDirectory() as tmp:
        bench_http(Path(tmp))
        bench_events(Path(tmp))


if __name__ == "__main__":
    main()


def first_rebuild_done(base: str, key: str, timeout: float = 300.0) -> None:
    """Until the rebuild a first start makes by itself (REBUILD_ON_START) is done."""
    month = dt.date.today().strftime("%Y-%m")
    url = f"{base}/v1/insight/dashboard?from={month}&to={month}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if requests.get(url, headers=bearer(key), timeout=30).json().get("rebuilt_at"):
            return
        time.sleep(1)
    raise RuntimeError(f"no first rebuild within {timeout:.0f} s")
