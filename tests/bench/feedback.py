"""Figures for surveys: `make bench-feedback` (or `python tests/bench/feedback.py`).

Prints, on this machine, in one run of the platform as `make up` starts it (SQLite):
  1. the results of a campaign of BENCH_RESPONSES (default 100,000) responses to the
     public-service satisfaction survey, and the per-branch index over the year
     (BENCH_RESPONSES at KMN, a tenth of it at each other branch, spread over twelve
     months): p50/p95 of 50 requests one after another, each through the gateway;
  2. response submission (an NPS answer through the public link, each a new
     response) at 50 connections (wrk, BENCH_SECONDS), beside a bare nameko @http
     route making one RPC at 50 connections, with its throughput as a multiple of it;
  3. the time from an event_completed of BENCH_ATTENDEES (default 1,000) attendees
     published (as the events service's outbox would, confirmed by the broker) until
     its campaign is open with every invitation issued, as the API shows it.
Figures, not assertions. The responses of 1 are written straight into feedback's
database before the platform starts (through the same code that counts them).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from chassis.context import SYSTEM  # noqa: E402
from chassis.envelope import make_envelope  # noqa: E402
from chassis.nameko.publisher import BatchPublisher  # noqa: E402
from deploy.wrk import ensure as ensure_wrk  # noqa: E402
from pustaka import platform  # noqa: E402
from services.feedback import campaigns, responses  # noqa: E402
from services.feedback.models import (  # noqa: E402
    Campaign,
    Template,
    branches,  # noqa: E402
)
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

RESPONSES = int(os.environ.get("BENCH_RESPONSES", "100000"))
ATTENDEES = int(os.environ.get("BENCH_ATTENDEES", "1000"))
BRANCHES = ("SPN", "PDT", "KMN", "HRW", "PSB")
YEAR = dt.date.today().year
NPS_ANSWER = Path(__file__).with_name("nps_answer.lua")


def load_responses(var: Path) -> tuple[str, str]:
    """A year of SKM responses at every branch, and an open NPS campaign: (the large
    campaign's id, the NPS campaign's public code)."""
    config = {**platform.load_config(), "DATA_DIR": str(var / "data")}
    list(platform.migrate(config, ["feedback"]))
    db = platform.database(config, platform.part("feedback"))
    chance = random.Random(3)
    start = dt.date(YEAR, 1, 1)
    began = time.perf_counter()
    try:
        with db.transaction() as session:
            for code in BRANCHES:
                branches.seen(session, {"code": code, "name": f"Cabang {code}"})
        large = None
        for code in BRANCHES:
            n = RESPONSES if code == "KMN" else RESPONSES // 10
            with db.transaction() as session:
                made = campaigns.open_campaign(session, _campaign("skm", code), SYSTEM, start)
                campaign = session.get(Campaign, int(made["id"][3:]))
                questions = session.get(Template, ("skm", 1)).questions
                for first in range(0, n, 10_000):
                    batch = [
                        (
                            {q["id"]: chance.choice((2, 3, 3, 4, 4)) for q in questions
                             if q["type"] == "skm"},
                            start + dt.timedelta(days=chance.randint(0, 364)),
                            None,
                        )
                        for _ in range(min(10_000, n - first))
                    ]  # fmt: skip
                    responses.record_many(session, campaign, questions, batch)
                if code == "KMN":
                    large = made["id"]
        with db.transaction() as session:
            nps = campaigns.open_campaign(session, _campaign("nps", "KMN"), SYSTEM, start)
    finally:
        db.engine.dispose()
    total = RESPONSES + 4 * (RESPONSES // 10)
    print(f"   loaded {total:,} responses in {time.perf_counter() - began:.1f} s", flush=True)
    return large, nps["public_link"].removeprefix("/s/")


def _campaign(template: str, branch: str) -> dict:
    return {
        "template": template,
        "subject_type": "branch",
        "subject_id": f"{branch}-{template}-bench",
        "title": f"Layanan {branch} {YEAR}",
        "branch": branch,
        "opens_on": f"{YEAR}-01-01",
        "closes_on": f"{YEAR + 1}-12-31",
    }


def timed(session: requests.Session, url: str, n: int = 50) -> tuple[float, float]:
    took = []
    for _ in range(n):
        began = time.perf_counter()
        answer = session.get(url, timeout=60)
        took.append((time.perf_counter() - began) * 1000)
        answer.raise_for_status()
    return pct(took, 50), pct(took, 95)


def campaign_opened(base: str, key: str, uri: str) -> float:
    """Seconds from an event_completed confirmed by the broker to its campaign open
    with every attendee invited."""
    occurrence = f"OCC-BENCH-{uuid.uuid4().hex[:8]}"
    data = {
        "occurrence_id": occurrence, "programme_id": "EVT-BENCH", "title": "Seminar literasi",
        "programme_type": "seminar", "audience": "adults", "branch": "KMN",
        "starts_at": f"{dt.date.today()}T08:00:00+00:00",
        "ends_at": f"{dt.date.today()}T12:00:00+00:00", "partners": [],
        "registered": ATTENDEES, "attended": ATTENDEES, "walk_ins": 0, "no_shows": 0,
        "attendees": [f"REG{i:06d}" for i in range(1, ATTENDEES + 1)],
    }  # fmt: skip
    event = make_envelope("events", "event_completed", occurrence, data)
    publisher = BatchPublisher(uri, "events.events")
    session = requests.Session()
    session.headers.update(bearer(key))
    url = f"{base}/v1/feedback/campaigns"
    try:
        publisher.publish_batch([("event_completed", event["id"], json.dumps(event), None)])
        began = time.perf_counter()
        while time.perf_counter() - began < 60:
            items = session.get(url, params={"template": "pasca_kegiatan"}, timeout=10).json()
            mine = [c for c in items["items"] if c["subject_id"] == occurrence]
            if mine and mine[0]["invited"] == ATTENDEES:
                return time.perf_counter() - began
            time.sleep(0.005)
    finally:
        publisher.close()
    return float("nan")


def main() -> None:
    if not ensure_wrk():
        sys.exit(1)
    print(f"Pustaka feedback benchmark, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp) / "feedback"
        var.mkdir()
        print(f"\n   loading {RESPONSES:,} responses into one campaign and a year at five branches")
        large, code = load_responses(var)
        # every request comes from one address: the public routes' per-address limit
        # would measure itself, so it is off here
        unlimited = {"GATEWAY_ANONYMOUS_RATE_LIMIT": "0"}
        with Vhost() as vhost, running_platform(var, vhost.uri, unlimited) as (base, env):
            key = admin_key(var)
            session = requests.Session()
            session.headers.update(bearer(key))
            figures = {
                f"results of a campaign, {RESPONSES:,} responses": timed(
                    session, f"{base}/v1/feedback/campaigns/{large}/results"
                ),
                "per-branch index over the year": timed(
                    session, f"{base}/v1/feedback/overview?year={YEAR}"
                ),
            }
            submit = wrk(
                f"{base}/v1/feedback/surveys/{code}/responses", script=NPS_ANSWER, connections=50
            )
            opened = [campaign_opened(base, key, env["AMQP_URI"]) for _ in range(3)]
    print("\n1. Results, 50 requests one after another (target: p95 at most 100 ms)")
    for label, (p50, p95) in figures.items():
        print(f"   {label:<48} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
    print_http_table(
        bare_route(connections=50),
        [("POST /v1/feedback/surveys/{code}/responses (NPS)", submit)],
        title=f"2. Response submission, 50 connections, {SECONDS} s each (wrk)",
    )
    print(
        f"\n3. event_completed of {ATTENDEES:,} attendees to its campaign open with every "
        "invitation (target: at most 2 s), three runs: " + ", ".join(f"{s:.2f} s" for s in opened)
    )


if __name__ == "__main__":
    main()
