"""After a fault and the platform's recovery: what was lost, what was done twice, how
long the platform took to answer again.

- writes lost: an acknowledged write whose record the API no longer has;
- duplicate effects: records beyond one made by the same Idempotency-Key (each
  record's text carries its key; the part's own table is counted);
- events lost: an event committed in a service's outbox that the webhook service,
  which hears every service's events through its one queue, never applied (its
  applied_events table, written in the transaction of the effect): it records the
  events an endpoint takes, and the load's witness endpoint takes every one made
  after the load's setup (load.prepare).
"""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor

import requests
from sqlalchemy import text

from pustaka import platform as composition
from tests.chaos.load import Load
from tests.platform import Platform

# The parts whose events the webhook service hears (every service with a contract).
EVENT_SOURCES = ("catalog", "people", "events", "feedback", "webhooks")


def config_of(platform: Platform) -> dict:
    return composition.load_config(environ=platform.env)


def lost_writes(platform: Platform, load: Load) -> list[str]:
    """The acknowledged writes (keys) whose record cannot be read back."""

    def lost(write) -> str | None:
        path = load.writer(write.part).read_path.format(id=write.record_id)
        for _ in range(10):
            try:
                status = platform.get(path).status_code
            except requests.RequestException:
                status = None
            if status == 200:
                return None
            if status == 404:
                return write.key
            time.sleep(0.5)  # not answered (yet): ask again
        return f"{write.key} (unreadable)"

    with ThreadPoolExecutor(4) as pool:
        return [key for key in pool.map(lost, load.acknowledged()) if key]


def duplicate_effects(platform: Platform, load: Load) -> dict[str, int]:
    """Per part, the records made beyond one per key."""
    config = config_of(platform)
    found = {}
    for writer in load.writers:
        db = composition.database(config, composition.part(writer.part))
        try:
            with db.engine.connect() as conn:
                rows = conn.execute(
                    text(
                        f"SELECT {writer.column} FROM {writer.table} WHERE {writer.column} LIKE :m"
                    ),
                    {"m": f"%{load.marker}%"},
                ).scalars()
                pattern = re.compile(rf"{re.escape(load.marker)}-{writer.part}-\d+")
                keys = [pattern.search(value).group(0) for value in rows]
        finally:
            db.engine.dispose()
        found[writer.part] = len(keys) - len(set(keys))
    return found


def outbox_events(config: dict, since: float) -> set[str]:
    """The events the parts committed from `since` on (their clocks: this machine's)."""
    ids = set()
    for name in EVENT_SOURCES:
        db = composition.database(config, composition.part(name))
        try:
            with db.engine.connect() as conn:
                made = text("SELECT event_id FROM outbox WHERE created_at >= :since")
                ids |= set(conn.execute(made, {"since": since}).scalars())
        finally:
            db.engine.dispose()
    return ids


def applied_by_webhooks(config: dict) -> set[str]:
    db = composition.database(config, composition.part("webhooks"))
    try:
        with db.engine.connect() as conn:
            return set(conn.execute(text("SELECT event_id FROM applied_events")).scalars())
    finally:
        db.engine.dispose()


def lost_events(platform: Platform, since: float, timeout: float = 30.0) -> set[str]:
    """Events committed in an outbox from `since` on (the witness's, load.prepare)
    and not applied by the webhook service within `timeout` (they travel after the
    writes, so it is waited for)."""
    config = config_of(platform)
    deadline = time.monotonic() + timeout
    while True:
        missing = outbox_events(config, since) - applied_by_webhooks(config)
        if not missing or time.monotonic() > deadline:
            return missing
        time.sleep(1.0)


def services_ok(platform: Platform) -> bool:
    try:
        states = platform.get("/v1/status", key="").json()["services"]
    except (requests.RequestException, ValueError, KeyError):
        return False
    return all(s["state"] == "ok" and s["processes"] >= 1 for s in states.values())


def recovery_seconds(platform: Platform, load: Load, since: float, timeout: float = 90.0):
    """Seconds from `since` (the fault's end) until every part has acknowledged a
    write begun after it (so each consumes its queue again; the gateway's /v1/status
    must say so too); None if not within `timeout`."""
    deadline = since + timeout
    while time.monotonic() < deadline:
        with load.lock:
            firsts = [load.tally.first_ack_after(w.part, since) for w in load.writers]
        if None not in firsts and services_ok(platform):
            return max(firsts) - since
        time.sleep(0.2)
    return None
