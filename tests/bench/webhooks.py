"""Figures for the webhook service: `make bench-webhooks` (or `python
tests/bench/webhooks.py`). Figures, not assertions.

Each phase runs the webhook service in a process of its own
(tests/bench/webhooks_service.py; SQLite, or WEBHOOKS_BENCH_DATABASE=postgresql://...
for a server) on a throwaway vhost, delivering to a receiver on 127.0.0.1 in this
process that answers 204 and drops repeats by webhook-id:
  1. the delivery worker alone: 20,000 deliveries stored, then the service started:
     deliveries/s from its first POST to the last;
  2. a burst of 20,000 events published to catalog.events: deliveries/s from the
     first publish to the last delivery (the fan-in, one transaction per event,
     and the worker together);
  3. commit-to-delivery latency at 200 events/s for BENCH_SECONDS (default 30),
     events committed through an outbox and its relay (tests/bench/emitters.py);
  4. with BENCH_WEBHOOKS_OUTAGE=1: the receiver down for 60 s while 200 events/s
     come, then back: every event delivered? repeats? the time to drain. The
     retries follow the configured backoff (WEBHOOKS__RETRY_* override it).

  BENCH_WEBHOOK_EVENTS=20000  BENCH_SECONDS=30  BENCH_WEBHOOKS_OUTAGE=0
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from chassis.envelope import make_envelope  # noqa: E402
from chassis.nameko.publisher import BatchPublisher  # noqa: E402
from tests.bench.foundation import Vhost, pct  # noqa: E402
from tests.receiver import Receiver  # noqa: E402

EVENTS = int(os.environ.get("BENCH_WEBHOOK_EVENTS", "20000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "30"))
OUTAGE = os.environ.get("BENCH_WEBHOOKS_OUTAGE", "0") == "1"
DATABASE = os.environ.get("WEBHOOKS_BENCH_DATABASE")


class Counting(Receiver):
    """The receiver, counting each webhook-id once and timing its first arrival."""

    def __init__(self, port: int = 0):
        self.first_seen: dict[str, float] = {}
        self.latencies: list[float] = []
        self.repeats = 0
        super().__init__(self._answer, port)

    def _answer(self, n, request) -> int:
        if request.id in self.first_seen:
            self.repeats += 1
            return 204
        self.first_seen[request.id] = request.at
        sent = json.loads(request.body)["time"].replace("Z", "+00:00")
        self.latencies.append((request.at - datetime.fromisoformat(sent).timestamp()) * 1000)
        return 204

    def until(self, count: int, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while len(self.first_seen) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return max(self.first_seen.values(), default=float("nan"))


class Service:
    def __init__(self, uri: str, db_url: str, receiver_url: str, prefill: int = 0):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.bench.webhooks_service", uri, db_url, receiver_url]
            + [str(prefill)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.endpoint = json.loads(self.proc.stdout.readline())
        self.started = time.time()

    def stop(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


MADE: list[str] = []  # PostgreSQL databases to drop at the end


def _admin(statements: list[str]):
    from sqlalchemy import create_engine, text

    from chassis.db import normalise_url

    admin = create_engine(normalise_url(DATABASE), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for statement in statements:
            conn.execute(text(statement))
    admin.dispose()
    return admin


def database(tmp: Path, name: str) -> str:
    if not DATABASE:
        return f"sqlite:///{tmp}/{name}.db"
    db = f"pustaka_bench_{name}_{os.getpid()}"
    admin = _admin([f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)', f'CREATE DATABASE "{db}"'])
    MADE.append(db)
    return admin.url.set(database=db).render_as_string(hide_password=False)


def publish(uri: str, envelopes: list[dict]) -> None:
    publisher = BatchPublisher(uri, "catalog.events")
    for start in range(0, len(envelopes), 1000):
        batch = envelopes[start : start + 1000]
        publisher.publish_batch([("title_created", e["id"], json.dumps(e), None) for e in batch])
    publisher.close()


def titles(count: int, offset: int = 0) -> list[dict]:
    return [
        make_envelope("catalog", "title_created", f"T{n:06d}", {"title": f"Judul {n}"})
        for n in range(offset, offset + count)
    ]


def worker_alone(vhost: Vhost, tmp: Path) -> None:
    receiver = Counting()
    service = Service(vhost.uri, database(tmp, "alone"), receiver.url, EVENTS)
    last = receiver.until(EVENTS, timeout=900)
    first = min(receiver.first_seen.values())
    got = len(receiver.first_seen)
    service.stop()
    receiver.stop()
    print(f"1. Delivery worker alone: {got}/{EVENTS} delivered, repeats {receiver.repeats}")
    print(f"   {got / (last - first):.0f} deliveries/s (first POST to last, {last - first:.1f} s)")


def burst(vhost: Vhost, tmp: Path) -> None:
    receiver = Counting()
    service = Service(vhost.uri, database(tmp, "burst"), receiver.url)
    events = titles(EVENTS)
    started = time.time()
    publish(vhost.uri, events)
    published = time.time()
    last = receiver.until(EVENTS, timeout=900)
    got = len(receiver.first_seen)
    service.stop()
    receiver.stop()
    print(
        f"\n2. Burst of {EVENTS} events published to catalog.events ({published - started:.1f} s)"
    )
    print(f"   {got}/{EVENTS} delivered, repeats {receiver.repeats}")
    print(f"   {got / (last - started):.0f} deliveries/s (first publish to last delivery)")


def latency(vhost: Vhost, tmp: Path, rate: int = 200) -> None:
    receiver = Counting()
    service = Service(vhost.uri, database(tmp, "paced"), receiver.url)
    emitter = subprocess.Popen(
        [sys.executable, "-m", "tests.bench.emitters", "paced", vhost.uri]
        + [f"sqlite:///{tmp}/emitter.db", str(SECONDS), str(rate)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    json.loads(emitter.stdout.readline())
    emitter.stdin.write("go\n")
    emitter.stdin.flush()
    result = json.loads(emitter.stdout.readline())
    emitter.wait(timeout=60)
    receiver.until(result["sent"], timeout=60)
    service.stop()
    receiver.stop()
    lat = receiver.latencies
    print(
        f"\n3. Commit-to-delivery at {rate} events/s for {SECONDS} s (outbox, relay, fan-in, POST)"
    )
    print(
        f"   {len(receiver.first_seen)}/{result['sent']} delivered; p50 {pct(lat, 50):.1f} ms, "
        f"p99 {pct(lat, 99):.1f} ms, max {max(lat):.1f} ms"
    )


def outage(vhost: Vhost, tmp: Path, rate: int = 200, down: float = 60.0) -> None:
    receiver = Counting()
    port = receiver.server.server_address[1]
    service = Service(vhost.uri, database(tmp, "outage"), receiver.url)
    receiver.stop()
    publisher = BatchPublisher(vhost.uri, "catalog.events")
    sent, started = 0, time.time()
    while time.time() - started < down:
        batch = titles(rate // 10, sent)
        publisher.publish_batch([("title_created", e["id"], json.dumps(e), None) for e in batch])
        sent += len(batch)
        time.sleep(max(0.0, started + sent / rate - time.time()))
    publisher.close()
    receiver = Counting(port)
    back = time.time()
    last = receiver.until(sent, timeout=1800)
    got = len(receiver.first_seen)
    service.stop()
    receiver.stop()
    print(f"\n4. Receiver down {down:.0f} s while {sent} events came ({rate}/s), then back")
    print(f"   {got}/{sent} delivered, {receiver.repeats} repeats dropped by webhook-id")
    print(f"   drained {last - back:.1f} s after the receiver came back")


def main() -> None:
    print(f"Webhook service, {EVENTS} events, database {'PostgreSQL' if DATABASE else 'SQLite'}")
    with tempfile.TemporaryDirectory() as tmp, Vhost() as vhost:
        worker_alone(vhost, Path(tmp))
        burst(vhost, Path(tmp))
        latency(vhost, Path(tmp))
        if OUTAGE:
            outage(vhost, Path(tmp))
        else:
            print("\n4. Receiver outage: skipped (BENCH_WEBHOOKS_OUTAGE=1 runs it, about 3 min)")
    if MADE:
        _admin([f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)' for db in MADE])


if __name__ == "__main__":
    main()
