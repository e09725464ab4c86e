"""What waits for a disabled endpoint: its events are stored, sent oldest first when
it is enabled again, and bounded in number and in time, the oldest beyond either
dropped and listed as such. On SQLite and PostgreSQL."""

from dataclasses import replace

import pytest
from sqlalchemy import select, update

from chassis.errors import Conflict
from services.webhooks import deliveries, endpoints
from services.webhooks.models import Delivery

from .helpers import ALICE
from .test_delivery import drain, event, record, register, statuses


def disable(db, endpoint_id):
    with db.transaction() as session:
        endpoints.disable_by_caller(session, endpoint_id, {"reason": "maintenance"}, ALICE)


def enable(db, endpoint_id, settings):
    with db.transaction() as session:
        return endpoints.enable(session, endpoint_id, ALICE, settings)


def listed(db, endpoint_id, **params) -> list[dict]:
    with db.reading() as session:
        return deliveries.list_deliveries(session, endpoint_id, params, ALICE)["items"]


def test_a_disabled_endpoints_events_wait_and_go_in_order_when_it_is_enabled(
    webhooks_db, settings, receiver, dispatcher
):
    made = register(webhooks_db, settings, receiver.url)
    sent = [event("T1"), event("T2"), event("T1", "title_updated"), event("T3")]
    record(webhooks_db, settings, sent[0])  # pending when the endpoint is disabled
    disable(webhooks_db, made["id"])
    record(webhooks_db, settings, *sent[1:])
    worker = dispatcher()
    assert worker.run_once() == 0
    assert statuses(webhooks_db) == ["waiting"] * 4
    shown = listed(webhooks_db, made["id"], status="waiting")[0]
    assert shown["next_attempt_at"] is None and shown["event_id"] == sent[3]["id"]
    enable(webhooks_db, made["id"], settings)
    assert drain(worker, lambda: statuses(webhooks_db) == ["delivered"] * 4)
    assert [r.id for r in receiver.received] == [e["id"] for e in sent]


def test_beyond_the_number_that_may_wait_the_oldest_are_dropped_and_listed(
    webhooks_db, settings, receiver, dispatcher
):
    two = replace(settings, disabled_wait_events=2)
    made = register(webhooks_db, two, receiver.url)
    disable(webhooks_db, made["id"])
    sent = [event(f"T{n}") for n in range(4)]
    record(webhooks_db, two, *sent)
    assert statuses(webhooks_db) == ["dropped", "dropped", "waiting", "waiting"]
    dropped = listed(webhooks_db, made["id"], status="dropped")
    assert [d["event_id"] for d in dropped] == [sent[1]["id"], sent[0]["id"]]
    assert dropped[0]["last_error"] == "dropped: more than 2 deliveries waited for the endpoint"
    with webhooks_db.reading() as session:
        assert session.scalar(select(Delivery.envelope).where(Delivery.seq == 1)) == ""
    # Its event is no longer kept: it cannot be sent again; the others can.
    with webhooks_db.transaction() as session, pytest.raises(Conflict):
        deliveries.replay_delivery(session, made["id"], dropped[0]["id"], ALICE, two)
    with webhooks_db.transaction() as session:
        since = {"since": "2000-01-01T00:00:00Z"}
        assert deliveries.replay_since(session, made["id"], since, ALICE, two)["replayed"] == 2
    assert statuses(webhooks_db) == ["dropped", "dropped", "waiting", "waiting"]
    enable(webhooks_db, made["id"], two)
    assert drain(dispatcher(), lambda: statuses(webhooks_db)[2:] == ["delivered"] * 2)
    assert [r.id for r in receiver.received] == [sent[2]["id"], sent[3]["id"]]


def test_what_waited_too_long_is_dropped_when_the_endpoint_is_enabled(
    webhooks_db, settings, receiver, dispatcher
):
    made = register(webhooks_db, settings, receiver.url)
    disable(webhooks_db, made["id"])
    old, new = event("T1"), event("T2")
    record(webhooks_db, settings, old)
    with webhooks_db.transaction() as session:  # it began to wait longer ago than allowed
        waited = settings.disabled_wait_seconds + 60
        session.execute(
            update(Delivery)
            .where(Delivery.event_id == old["id"])
            .values(next_attempt_at=Delivery.next_attempt_at - waited)
        )
    record(webhooks_db, settings, new)  # events arriving apply the bound too
    assert statuses(webhooks_db) == ["dropped", "waiting"]
    (dropped,) = listed(webhooks_db, made["id"], status="dropped")
    assert dropped["last_error"] == f"dropped: it waited {waited - 60:g}s for the endpoint"
    enable(webhooks_db, made["id"], settings)
    assert drain(dispatcher(), lambda: statuses(webhooks_db) == ["dropped", "delivered"])
    assert [r.id for r in receiver.received] == [new["id"]]
