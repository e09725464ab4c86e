"""A steady mixed load through the gateway's HTTP that writes to every part, each
write with an Idempotency-Key of its own, retried with the same key while it is
refused (503/504) or unanswered (the connection failed), as a careful client does.

What each request met is tallied (attempted, acknowledged, cleanly refused, late,
anything else), and each write keeps its key and, once acknowledged, the id of the
record it made, so that the checks (checks.py) can read every acknowledged write
back and count the records each key made.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import requests

from tests.platform import Platform

REFUSED = {503, 504}
PAUSE = 0.05  # between one writer's requests: steady, not a flood on a 2-core machine


@dataclass(frozen=True)
class Writer:
    """How a part is written to: the request that makes a record whose text carries
    `text` (the marker and the key), the id in the answer, where to read it back, and
    the table and column whose text the records carry (checks.py counts them)."""

    part: str
    path: Callable[[dict], str]
    body: Callable[[str, int], dict]
    record_id: Callable[[dict], str]
    read_path: str  # with {id}
    table: str
    column: str
    key: str | None = None  # the API key: None the admin's, "" none (a public route)


def catalog() -> Writer:
    return Writer(
        "catalog",
        lambda setup: "/v1/catalog/titles",
        lambda text, n: {"title": text, "authors": ["Uji Gangguan"]},
        lambda answer: answer["id"],
        "/v1/catalog/titles/{id}",
        "titles",
        "title",
    )


def people() -> Writer:
    return Writer(
        "people",
        lambda setup: "/v1/people/staff",
        lambda text, n: {"name": text, "branch": "SPN", "position": "terampil"},
        lambda answer: answer["id"],
        "/v1/people/staff/{id}",
        "staff",
        "name",
    )


def events() -> Writer:
    # One contact per write: the same person twice is refused (409).
    return Writer(
        "events",
        lambda setup: f"/v1/events/occurrences/{setup['occurrence']}/registrations",
        lambda text, n: {"name": text, "contact": f"0812-{n // 10000 % 10000:04d}-{n % 10000:04d}"},
        lambda answer: answer["items"][0]["id"],
        "/v1/events/registrations/{id}",
        "registrations",
        "name",
    )


def feedback() -> Writer:
    return Writer(
        "feedback",
        lambda setup: "/v1/feedback/suggestions",
        lambda text, n: {
            "kind": "collection",
            "member": f"SPN-{n:08d}",
            "title": text,
            "authors": ["Uji Gangguan"],
            "branch": "SPN",
        },
        lambda answer: answer["id"],
        "/v1/feedback/suggestions/{id}",
        "suggestions",
        "title",
        key="",
    )


def webhooks() -> Writer:
    # A receiver that is never there: deliveries wait and retry, which is no matter
    # here; the endpoint is the write. (WEBHOOKS__ALLOW_PRIVATE_URLS lets it be local.)
    return Writer(
        "webhooks",
        lambda setup: "/v1/webhooks/endpoints",
        lambda text, n: {
            "url": f"http://127.0.0.1:9/{text.replace(' ', '/')}",
            "event_types": ["events.programme_cancelled"],
        },
        lambda answer: answer["id"],
        "/v1/webhooks/endpoints/{id}",
        "endpoints",
        "url",
    )


WRITERS = (catalog, people, events, feedback, webhooks)

# What the load needs the platform to hold first: a published programme with room.
PROGRAMME = {
    "programme_type": "seminar",
    "title": "Seminar uji gangguan",
    "audience": "adults",
    "branch": "SPN",
    "room": "Aula",
    "capacity": 5000,
    "presenter": {"name": "Tim Uji"},
}


def prepare(platform: Platform) -> dict:
    """What the writers need on this platform (an occurrence to register for), and
    the witness of every event: the webhook service records only the events an
    endpoint takes, so an endpoint takes them all (disabled: nothing is sent, its
    deliveries wait). Every event made after `witnessed_from` is recorded there."""
    start = dt.datetime.combine(dt.date.today() + dt.timedelta(days=30), dt.time(9))
    plan = {**PROGRAMME, "schedule": {"starts_at": start.isoformat(), "duration_minutes": 120}}
    made = platform.post("/v1/events/programmes", json=plan)
    assert made.status_code == 201, made.text
    moved = platform.post(
        f"/v1/events/programmes/{made.json()['id']}/transitions", json={"to": "published"}
    )
    assert moved.ok, moved.text
    witness = platform.post(
        "/v1/webhooks/endpoints", json={"url": "http://127.0.0.1:9/witness", "event_types": ["*"]}
    )
    assert witness.status_code == 201, witness.text
    off = platform.post(
        f"/v1/webhooks/endpoints/{witness.json()['id']}/disable",
        json={"reason": "the fault suite's witness of every event"},
    )
    assert off.ok, off.text
    return {"occurrence": moved.json()["occurrences"][0]["id"], "witnessed_from": time.time()}


@dataclass
class Write:
    part: str
    key: str
    text: str
    n: int
    record_id: str | None = None
    attempts: int = 0

    @property
    def acknowledged(self) -> bool:
        return self.record_id is not None


@dataclass
class Tally:
    """What the requests met, during the fault and after it."""

    attempted: int = 0
    acknowledged: int = 0
    refused: int = 0  # 503/504: cleanly
    unanswered: int = 0  # the connection failed or timed out
    late: int = 0  # answered (or still unanswered) after the deadline + 1 s
    other: Counter = field(default_factory=Counter)  # any other status: a failure
    slowest: float = 0.0
    # part -> (when each acknowledged request was sent, when it was answered)
    acks: dict[str, list[tuple[float, float]]] = field(default_factory=dict)

    def first_ack_after(self, part: str, moment: float) -> float | None:
        """When the first write to `part` sent after `moment` was acknowledged."""
        return min((done for sent, done in self.acks.get(part, ()) if sent >= moment), default=None)


class Load:
    """One writer thread per part, from `start()` until `stop()`; `settle()` then
    sends every write not yet acknowledged again, with its key, until it is."""

    def __init__(self, platform: Platform, setup: dict, marker: str, deadline: float):
        self.platform = platform
        self.setup = setup
        self.marker = marker
        self.deadline = deadline
        self.writers = [make() for make in WRITERS]
        self.writes: list[Write] = []
        self.tally = Tally()
        self.lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        self._stop.clear()
        self._threads = [
            threading.Thread(target=self._run, args=(w,), daemon=True) for w in self.writers
        ]
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=self.deadline + 30)

    def _run(self, writer: Writer) -> None:
        n = 0
        while not self._stop.is_set():
            n += 1
            key = f"{self.marker}-{writer.part}-{n:05d}"
            write = Write(writer.part, key, f"{self.marker} {key}", n)
            with self.lock:
                self.writes.append(write)
            # A refused write is sent again with its key until it is answered or the
            # load stops (settle() then finishes it).
            while not self._stop.is_set() and not self.send(writer, write):
                time.sleep(0.2)
            time.sleep(PAUSE)

    def send(self, writer: Writer, write: Write) -> bool:
        """POST the write once; True once it is acknowledged (or answered otherwise:
        a 4xx/500 is tallied, not retried)."""
        write.attempts += 1
        headers = {"Idempotency-Key": write.key}
        started = time.monotonic()
        status = None
        try:
            answer = self.platform.request(
                "POST",
                writer.path(self.setup),
                writer.key,
                json=writer.body(write.text, write.n),
                headers=headers,
            )
            status = answer.status_code
        except requests.RequestException:
            pass
        took = time.monotonic() - started
        with self.lock:
            tally = self.tally
            tally.attempted += 1
            tally.slowest = max(tally.slowest, took)
            if took > self.deadline + 1:  # answered late, or left hanging as long
                tally.late += 1
            if status is None:
                tally.unanswered += 1
                return False
            if status in REFUSED:
                tally.refused += 1
                return False
            if 200 <= status < 300:
                tally.acknowledged += 1
                write.record_id = writer.record_id(answer.json())
                tally.acks.setdefault(writer.part, []).append((started, time.monotonic()))
                return True
            tally.other[f"{status} {answer.text[:80]}"] += 1
            return True

    def settle(self, timeout: float = 60.0) -> list[Write]:
        """Send every unacknowledged write again (same key) until each is answered or
        `timeout` passes; the writes still unanswered."""
        by_part = {w.part: w for w in self.writers}
        deadline = time.monotonic() + timeout
        waiting = [w for w in self.writes if not w.acknowledged]
        while waiting and time.monotonic() < deadline:
            waiting = [w for w in waiting if not self.send(by_part[w.part], w)]
            if waiting:
                time.sleep(0.5)
        return waiting

    def acknowledged(self) -> list[Write]:
        return [w for w in self.writes if w.acknowledged]

    def writer(self, part: str) -> Writer:
        return next(w for w in self.writers if w.part == part)
