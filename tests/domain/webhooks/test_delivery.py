"""Deliveries to a real receiver on 127.0.0.1: made from events for the endpoints
that want them, signed so that the standardwebhooks package verifies them, retried
until a 2xx, given up (the endpoint disabled) after the limit or at once on 410,
kept in order per subject where asked, listed and replayed. On SQLite and
PostgreSQL."""

import json
import time
from dataclasses import replace

import pytest
from sqlalchemy import select
from standardwebhooks import Webhook

from chassis.envelope import make_envelope
from chassis.errors import Forbidden, NotFound, ValidationFailed
from services.webhooks import deliveries, dispatch, endpoints
from services.webhooks.deliveries import wants
from services.webhooks.models import Delivery, outbox_table
from tests.receiver import Receiver

from .helpers import ADMIN, ALICE, BOB


def register(db, settings, url, caller=ALICE, **payload):
    payload = {"url": url, "event_types": ["catalog.*"], **payload}
    with db.transaction() as session:
        return endpoints.register(session, payload, caller, settings)


def event(subject="T000001", event_type="title_created", service="catalog"):
    return make_envelope(service, event_type, subject, {"id": subject, "title": "Tambo"})


def record(db, settings, *envelopes) -> int:
    made = 0
    for envelope in envelopes:
        with db.transaction() as session:
            made += deliveries.record_events(session, [envelope], settings)
    return made


def drain(dispatcher, until, timeout=10.0):
    """Run the worker until `until()` holds (retries come due within milliseconds)."""
    deadline = time.monotonic() + timeout
    while not until() and time.monotonic() < deadline:
        if not dispatcher.run_once():
            time.sleep(0.01)
    return until()


def statuses(db) -> list[str]:
    with db.reading() as session:
        return list(session.scalars(select(Delivery.status).order_by(Delivery.seq)))


def test_patterns_match_by_type_by_service_or_all():
    assert wants(["*"], "people.staff_enrolled")
    assert wants(["catalog.*"], "catalog.item_added")
    assert not wants(["catalog.*"], "people.staff_enrolled")
    assert wants(["catalog.title_created"], "catalog.title_created")
    assert not wants(["catalog.title_created"], "catalog.title_updated")


def test_an_event_is_delivered_signed_to_each_endpoint_that_wants_it(
    webhooks_db, settings, receiver, dispatcher
):
    mine = register(webhooks_db, settings, receiver.url)
    register(webhooks_db, settings, receiver.url, BOB, event_types=["people.*"])
    disabled = register(webhooks_db, settings, receiver.url, event_types=["*"])
    with webhooks_db.transaction() as session:
        endpoints.disable_by_caller(session, disabled["id"], {}, ALICE)
    sent = event()
    assert record(webhooks_db, settings, sent) == 2  # the disabled endpoint's waits
    worker = dispatcher()
    assert drain(worker, lambda: statuses(webhooks_db) == ["delivered", "waiting"])
    (got,) = receiver.received
    assert Webhook(mine["secret"]).verify(got.body, got.headers) == sent
    assert got.headers["webhook-id"] == sent["id"]
    assert abs(int(got.headers["webhook-timestamp"]) - time.time()) < 60
    assert got.headers["content-type"] == "application/json"
    with webhooks_db.reading() as session:
        (attempt,) = deliveries.list_attempts(session, mine["id"], "WD00000001", ALICE)["items"]
    assert attempt["status_code"] == 204 and attempt["latency_ms"] > 0


def test_during_a_rotation_both_secrets_verify(webhooks_db, settings, receiver, dispatcher):
    made = register(webhooks_db, settings, receiver.url)
    with webhooks_db.transaction() as session:
        rotated = endpoints.rotate_secret(session, made["id"], ALICE, settings)
    record(webhooks_db, settings, event())
    assert drain(dispatcher(), lambda: len(receiver.received) == 1)
    (got,) = receiver.received
    assert len(got.headers["webhook-signature"].split(" ")) == 2
    for secret in (made["secret"], rotated["secret"]):
        Webhook(secret).verify(got.body, got.headers)


def test_a_failure_is_retried_until_it_succeeds_and_each_attempt_is_logged(
    webhooks_db, settings, receiver, dispatcher
):
    receiver.answer = lambda n, request: 503 if n < 3 else 200
    made = register(webhooks_db, settings, receiver.url)
    record(webhooks_db, settings, event())
    assert drain(dispatcher(), lambda: statuses(webhooks_db) == ["delivered"])
    assert len(receiver.received) == 3
    assert len({r.id for r in receiver.received}) == 1  # the same webhook-id each time
    with webhooks_db.reading() as session:
        attempts = deliveries.list_attempts(session, made["id"], "WD00000001", ALICE)["items"]
        (listed,) = deliveries.list_deliveries(session, made["id"], {}, ALICE)["items"]
    assert [a["status_code"] for a in attempts] == [503, 503, 200]
    assert attempts[0]["response"] == "no thanks" and attempts[2]["response"] == '{"ok": true}'
    assert listed["attempts"] == 3 and listed["status"] == "delivered"


def test_an_unreachable_receiver_is_an_error_attempt(webhooks_db, settings, dispatcher):
    made = register(webhooks_db, settings, "http://127.0.0.1:9/hooks")  # discard: refused
    record(webhooks_db, settings, event())
    worker = dispatcher(retry_base_seconds=100, retry_cap_seconds=100)
    assert worker.run_once() == 1
    assert worker.run_once() == 0  # not due again for a while
    with webhooks_db.reading() as session:
        (attempt,) = deliveries.list_attempts(session, made["id"], "WD00000001", ALICE)["items"]
        (listed,) = deliveries.list_deliveries(session, made["id"], {}, ALICE)["items"]
    assert attempt["status_code"] is None and "ConnectionRefused" in attempt["error"]
    assert listed["status"] == "pending" and listed["last_error"] == attempt["error"]


def test_410_disables_the_endpoint_at_once_and_says_so(webhooks_db, settings, receiver, dispatcher):
    receiver.answer = lambda n, request: 410
    made = register(webhooks_db, settings, receiver.url)
    record(webhooks_db, settings, event("T000001"), event("T000002"))
    worker = dispatcher()
    worker.run_once()
    assert worker.run_once() == 0  # a disabled endpoint's deliveries wait
    with webhooks_db.reading() as session:
        shown = endpoints.get(session, made["id"], ALICE)
        (published,) = session.execute(select(outbox_table.c.envelope)).all()
    assert shown["enabled"] is False and "410" in shown["disabled_reason"]
    data = json.loads(published.envelope)["data"]
    assert data["endpoint_id"] == made["id"] and "410" in data["reason"]
    # Re-enabled, what waited is delivered.
    receiver.answer = lambda n, request: 200
    with webhooks_db.transaction() as session:
        endpoints.enable(session, made["id"], ALICE, settings)
    assert drain(worker, lambda: statuses(webhooks_db) == ["delivered", "delivered"])


def test_after_the_time_limit_the_delivery_fails_and_the_endpoint_is_disabled(
    webhooks_db, settings, receiver, dispatcher
):
    receiver.answer = lambda n, request: 500
    # Long enough that a first attempt slowed by a busy machine still comes before
    # the limit (at 0.3 s one did not, in a full run): retries come every 10 ms.
    quick = replace(settings, give_up_seconds=2)
    made = register(webhooks_db, quick, receiver.url)
    record(webhooks_db, quick, event())
    assert drain(dispatcher(give_up_seconds=2), lambda: statuses(webhooks_db) == ["failed"])
    assert len(receiver.received) >= 2
    with webhooks_db.reading() as session:
        shown = endpoints.get(session, made["id"], ALICE)
    assert not shown["enabled"] and "no delivery succeeded within 2s" in shown["disabled_reason"]
    assert "answered 500" in shown["disabled_reason"]


def test_an_ordered_endpoint_gets_a_subjects_events_in_order(
    webhooks_db, settings, receiver, dispatcher
):
    # The first request fails: T1's second event must wait for its first; T2 need not.
    receiver.answer = lambda n, request: 500 if n == 1 else 200
    register(webhooks_db, settings, receiver.url, ordered=True)
    first, second, other = event("T1"), event("T1", "title_updated"), event("T2")
    record(webhooks_db, settings, first, second, other)
    assert drain(dispatcher(), lambda: statuses(webhooks_db) == ["delivered"] * 3)
    order = [r.id for r in receiver.received]
    assert order[0] == first["id"] and order.count(first["id"]) == 2
    assert order.index(second["id"]) > len(order) - 1 - order[::-1].index(first["id"])
    assert other["id"] in order[:2]  # not held up by T1


def test_an_unordered_endpoint_does_not_wait(webhooks_db, settings, receiver, dispatcher):
    receiver.answer = lambda n, request: 500 if n == 1 else 200
    register(webhooks_db, settings, receiver.url)
    first, second = event("T1"), event("T1", "title_updated")
    record(webhooks_db, settings, first, second)
    worker = dispatcher(retry_base_seconds=100, retry_cap_seconds=100)
    worker.run_once()
    assert statuses(webhooks_db) == ["pending", "delivered"]


def test_a_private_address_is_refused_at_delivery_too(webhooks_db, settings, receiver, dispatcher):
    made = register(webhooks_db, settings, receiver.url)  # allowed then
    record(webhooks_db, settings, event())
    dispatcher(allow_private_urls=False, retry_base_seconds=100).run_once()
    assert receiver.received == []
    with webhooks_db.reading() as session:
        (attempt,) = deliveries.list_attempts(session, made["id"], "WD00000001", ALICE)["items"]
    assert attempt["error"].startswith("refused: the host '127.0.0.1' resolves to 127.0.0.1")


def test_deliveries_page_with_a_cursor_and_replay(webhooks_db, settings, receiver, dispatcher):
    made = register(webhooks_db, settings, receiver.url)
    sent = [event(f"T{n}") for n in range(5)]
    record(webhooks_db, settings, *sent)
    assert drain(dispatcher(), lambda: statuses(webhooks_db) == ["delivered"] * 5)
    with webhooks_db.reading() as session:
        first = deliveries.list_deliveries(session, made["id"], {"limit": 2}, ALICE)
        second = deliveries.list_deliveries(
            session, made["id"], {"limit": 2, "cursor": first["next_cursor"]}, ALICE
        )
        last = deliveries.list_deliveries(
            session, made["id"], {"limit": 2, "cursor": second["next_cursor"]}, ALICE
        )
    ids = [d["id"] for page in (first, second, last) for d in page["items"]]
    assert ids == [f"WD0000000{n}" for n in (5, 4, 3, 2, 1)] and last["next_cursor"] is None
    with webhooks_db.transaction() as session:
        again = deliveries.replay_delivery(session, made["id"], "WD00000002", ALICE, settings)
    assert again["status"] == "pending"
    assert drain(dispatcher(), lambda: len(receiver.received) == 6)
    assert receiver.received[-1].id == sent[1]["id"]
    with webhooks_db.transaction() as session:
        since = {"since": "2000-01-01T00:00:00Z"}
        assert deliveries.replay_since(session, made["id"], since, ALICE, settings) == {
            "replayed": 5
        }
    assert drain(dispatcher(), lambda: len(receiver.received) == 11)


def test_deliveries_are_the_owners_and_bad_input_is_refused(webhooks_db, settings, receiver):
    made = register(webhooks_db, settings, receiver.url)
    record(webhooks_db, settings, event())
    other = register(webhooks_db, settings, receiver.url, BOB)
    with webhooks_db.reading() as session:
        with pytest.raises(Forbidden):
            deliveries.list_deliveries(session, made["id"], {}, BOB)
        assert deliveries.list_deliveries(session, made["id"], {}, ADMIN)["items"]
        with pytest.raises(NotFound):  # a delivery of another endpoint
            deliveries.list_attempts(session, other["id"], "WD00000001", BOB)
        for params, field in [
            ({"limit": 0}, "limit"),
            ({"limit": 101}, "limit"),
            ({"cursor": "nonsense"}, "cursor"),
            ({"status": "lost"}, "status"),
        ]:
            with pytest.raises(ValidationFailed) as bad:
                deliveries.list_deliveries(session, made["id"], params, ALICE)
            assert field in bad.value.details["fields"]
    with webhooks_db.transaction() as session, pytest.raises(ValidationFailed) as bad:
        deliveries.replay_since(session, made["id"], {"since": "yesterday"}, ALICE, settings)
    assert "since" in bad.value.details["fields"]


def test_when_a_down_endpoint_answers_again_what_waited_for_it_goes_at_once(
    webhooks_db, settings, dispatcher
):
    down = Receiver()
    port = down.server.server_address[1]
    made = register(webhooks_db, settings, down.url)
    down.stop()
    record(webhooks_db, settings, *[event(f"T{n}") for n in range(5)])
    worker = dispatcher(retry_base_seconds=1000, retry_cap_seconds=1000)
    assert worker.run_once() == 5  # all refused: each waits a long backoff now
    assert worker.run_once() == 0
    back = Receiver(port=port)
    try:
        with webhooks_db.transaction() as session:  # one comes due (as its backoff would)
            deliveries.replay_delivery(session, made["id"], "WD00000001", ALICE, settings)
        assert worker.run_once() == 1
        assert worker.run_once() == 4  # the others follow without their backoff
        assert statuses(webhooks_db) == ["delivered"] * 5
    finally:
        back.stop()


def test_an_endpoint_answering_errors_is_not_taken_for_one_that_came_back(
    webhooks_db, settings, receiver, dispatcher
):
    receiver.answer = lambda n, request: 500 if n <= 2 else 200
    register(webhooks_db, settings, receiver.url)
    record(webhooks_db, settings, event("T1"), event("T2"))
    worker = dispatcher(retry_base_seconds=1000, retry_cap_seconds=1000)
    assert worker.run_once() == 2
    record(webhooks_db, settings, event("T3"))
    assert worker.run_once() == 1  # delivered; the two answered 500 keep their backoff
    assert statuses(webhooks_db) == ["pending", "pending", "delivered"]


def test_a_claim_leases_no_more_deliveries_than_its_limit(webhooks_db, settings):
    """PostgreSQL ran a claim's limited, SKIP LOCKED subquery once per row it scanned
    and leased more than the limit; the claim takes exactly `limit`, then the rest."""
    register(webhooks_db, settings, "http://127.0.0.1:9/hook")
    record(webhooks_db, settings, *[event(f"T{n:06d}") for n in range(1, 6)])
    with webhooks_db.transaction() as session:
        first = dispatch.claim(session, "a", limit=2, lease=30)
        rest = dispatch.claim(session, "b", limit=10, lease=30)
    assert len(first) == 2 and len(rest) == 3
    assert {c.seq for c in first}.isdisjoint(c.seq for c in rest)
