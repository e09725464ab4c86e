"""Deliveries: made from each event for every endpoint that wants it (in the
transaction that records the event as applied, so an event received twice makes
them once; several events together in a burst), waiting while the endpoint is
disabled (waiting.py), listed a page at a time, and replayed."""

from __future__ import annotations

import json
import time

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from chassis.bulk import insert_rows
from chassis.context import Caller
from chassis.errors import Conflict, NotFound
from chassis.pagination import Keyset
from chassis.records import get_or_not_found
from chassis.schemas import load
from chassis.times import iso_time, iso_time_or_none

from .contract import DELIVERY_ID, DeliveryQuery, ReplayInput
from .endpoints import find
from .models import Attempt, Delivery, Endpoint
from .settings import Settings
from .waiting import bound, still_disabled

NEWEST = Keyset(Delivery.seq, descending=True)


def wants(patterns: list[str], event_type: str) -> bool:
    """Whether an endpoint's patterns (*, service.*, service.type) take this type."""
    service = event_type.split(".", 1)[0]
    return any(p in ("*", event_type, f"{service}.*") for p in patterns)


def wanted_events(session: Session, envelopes: list[dict]) -> list[dict]:
    """The events some endpoint takes (enabled or not): the fan-in records nothing
    of the others, most events on most platforms."""
    patterns = session.scalars(select(Endpoint.event_types)).all()
    return [v for v in envelopes if any(wants(p, v["type"]) for p in patterns)]


def record_events(session: Session, envelopes: list[dict], settings: Settings) -> int:
    """A delivery of each event to each endpoint that wants it (waiting, for a
    disabled one); how many."""
    endpoints = session.execute(
        select(Endpoint.seq, Endpoint.event_types, Endpoint.ordered, Endpoint.enabled)
    ).all()
    wanted = [(v, e) for v in envelopes for e in endpoints if wants(e.event_types, v["type"])]
    disabled = still_disabled(session, {e.seq for _, e in wanted if not e.enabled})
    now = time.time()
    rows = [
        {
            "endpoint_seq": e.seq,
            "event_id": envelope["id"],
            "event_type": envelope["type"],
            "subject": str(envelope.get("subject", ""))[:200],
            "envelope": json.dumps(envelope, separators=(",", ":"), ensure_ascii=False),
            "ordered": e.ordered,
            "status": "waiting" if e.seq in disabled else "pending",
            "attempts": 0,
            "unreachable": False,
            "next_attempt_at": now,
            "give_up_at": now + settings.give_up_seconds,
            "lease_owner": None,
            "lease_until": None,
            "created_at": now,
            "delivered_at": None,
            "last_error": None,
        }
        for envelope, e in wanted
    ]
    insert_rows(session, Delivery.__table__, rows)
    if disabled:
        bound(session, disabled, now, settings)
    return len(rows)


def dump(delivery: Delivery, endpoint_id: str) -> dict:
    return {
        "id": delivery.id,
        "endpoint_id": endpoint_id,
        "event_id": delivery.event_id,
        "event_type": delivery.event_type,
        "subject": delivery.subject,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "next_attempt_at": (
            iso_time(delivery.next_attempt_at) if delivery.status == "pending" else None
        ),
        "created_at": iso_time(delivery.created_at),
        "delivered_at": iso_time_or_none(delivery.delivered_at),
        "last_error": delivery.last_error,
    }


def list_deliveries(session: Session, endpoint_id: str, params: dict, caller: Caller) -> dict:
    """An endpoint's deliveries, newest first, a page at a time."""
    query = load(DeliveryQuery(), params)
    endpoint = find(session, endpoint_id, caller)
    rows = select(Delivery).where(Delivery.endpoint_seq == endpoint.seq)
    if "status" in query:
        rows = rows.where(Delivery.status == query["status"])
    items, cursor = NEWEST.fetch(session, rows, query["limit"], query["cursor"])
    return {"items": [dump(d, endpoint.id) for d in items], "next_cursor": cursor}


def _delivery(session: Session, endpoint: Endpoint, delivery_id: str, for_update=False):
    delivery = get_or_not_found(
        session,
        Delivery,
        DELIVERY_ID.parse(delivery_id),
        noun="delivery",
        named=delivery_id,
        field="delivery_id",
        for_update=for_update,
    )
    if delivery.endpoint_seq != endpoint.seq:
        # Another endpoint's delivery is not one of this endpoint's.
        raise NotFound(f"No delivery {delivery_id!r}.", {"delivery_id": delivery_id})
    return delivery


def list_attempts(session: Session, endpoint_id: str, delivery_id: str, caller: Caller) -> dict:
    endpoint = find(session, endpoint_id, caller)
    delivery = _delivery(session, endpoint, delivery_id)
    attempts = session.scalars(
        select(Attempt).where(Attempt.delivery_seq == delivery.seq).order_by(Attempt.id)
    )
    return {
        "items": [
            {
                "attempted_at": iso_time(a.attempted_at),
                "status_code": a.status_code,
                "error": a.error,
                "latency_ms": a.latency_ms,
                "response": a.response,
            }
            for a in attempts
        ]
    }


def _again(now: float, settings: Settings, endpoint: Endpoint) -> dict:
    """What makes a delivery pending and due now, with a whole retry period (or
    waiting from now, if its endpoint is disabled)."""
    return {
        "status": "pending" if endpoint.enabled else "waiting",
        "next_attempt_at": now,
        "give_up_at": now + settings.give_up_seconds,
        "lease_owner": None,
        "lease_until": None,
    }


def replay_delivery(
    session: Session, endpoint_id: str, delivery_id: str, caller: Caller, settings: Settings
) -> dict:
    """Send one delivery again (delivered or not), under the same webhook-id: a
    receiver that drops repeats will drop it, which is its right."""
    endpoint = find(session, endpoint_id, caller)
    delivery = _delivery(session, endpoint, delivery_id, for_update=True)
    if delivery.status == "dropped":
        raise Conflict(
            f"{delivery_id} was dropped ({delivery.last_error}); its event is no longer kept.",
            {"delivery_id": delivery_id, "status": "dropped"},
        )
    for name, value in _again(time.time(), settings, endpoint).items():
        setattr(delivery, name, value)
    session.flush()
    return dump(delivery, endpoint.id)


def replay_since(
    session: Session, endpoint_id: str, payload: dict, caller: Caller, settings: Settings
) -> dict:
    """Send again every delivery made for the endpoint since a time (but those
    dropped, whose events are no longer kept)."""
    since = load(ReplayInput(), payload)["since"].timestamp()
    endpoint = find(session, endpoint_id, caller)
    replayed = session.execute(
        update(Delivery)
        .where(
            Delivery.endpoint_seq == endpoint.seq,
            Delivery.created_at >= since,
            Delivery.status != "dropped",
        )
        .values(**_again(time.time(), settings, endpoint))
    ).rowcount
    return {"replayed": replayed}
