"""Figures for the foundation: `make bench` (or `python tests/bench/foundation.py`).

Prints, on this machine, in one run:
  1. HTTP at 20 connections (wrk, 10 s each): the gateway's GET /v1/catalog/titles/{id},
     and beside it a bare nameko @http route making one RPC to a trivial method;
  2. events per second from the outbox relay to a subscriber, beside nameko's own
     EventDispatcher from 1 and from 10 emitters;
  3. commit-to-subscriber latency of the relay at 500 events/s.
Figures, not assertions. Uses its own vhost (management API), data directory and port.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
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
from deploy.wrk import ensure as ensure_wrk  # noqa: E402
from services.chassis.config import load_config  # noqa: E402
from tests.support import free_port, running_platform, stop_process, wait_http  # noqa: E402

AMQP_BASE = load_config()["AMQP_URI"]
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
EVENTS = int(os.environ.get("BENCH_EVENTS", "50000"))


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


def wrk(url: str, key: str | None = None) -> dict:
    cmd = ["wrk", "-t2", "-c20", f"-d{SECONDS}s", "--latency", url]
    if key:
        cmd[1:1] = ["-H", f"Authorization: Bearer {key}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    pct = {p: _ms(v) for p, v in re.findall(r"\s(50|90|99)%\s+([\d.]+\w+)", out)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rate,
        **{f"p{p}": v for p, v in pct.items()},
        "non2xx": int(errors.group(1)) if errors else 0,
    }


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def bench_http(tmp: Path) -> None:
    with Vhost() as vhost:
        (tmp / "var").mkdir()
        with running_platform(tmp / "var", vhost.uri) as (base, _):
            key = (tmp / "var" / "demo-admin.key").read_text().strip()
            made = requests.post(
                base + "/v1/catalog/titles",
                headers={"Authorization": f"Bearer {key}"},
                json={"title": "Laskar Pelangi", "authors": ["Andrea Hirata"]},
                timeout=10,
            ).json()
            gateway = wrk(f"{base}/v1/catalog/titles/{made['id']}", key)
        bare_port = free_port()
        bare = subprocess.Popen(
            [sys.executable, "-m", "tests.bench.bare", f"127.0.0.1:{bare_port}", vhost.uri],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_http(f"http://127.0.0.1:{bare_port}/bare/1", bare)
            baseline = wrk(f"http://127.0.0.1:{bare_port}/bare/1")
        finally:
            stop_process(bare)
    print(f"\n1. HTTP, 20 connections, {SECONDS} s each (wrk)")
    print(f"   {'route':<44} {'req/s':>8} {'p50 ms':>7} {'p90 ms':>7} {'p99 ms':>7} {'non-2xx':>8}")
    for name, r in (
        ("gateway GET /v1/catalog/titles/{id}", gateway),
        ("bare nameko @http + one RPC", baseline),
    ):
        latency = f"{r['p50']:>7.1f} {r['p90']:>7.1f} {r['p99']:>7.1f}"
        print(f"   {name:<44} {r['rps']:>8.0f} {latency} {r['non2xx']:>8}")
    print(f"   gateway / bare throughput: {gateway['rps'] / baseline['rps']:.1f}x")


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
