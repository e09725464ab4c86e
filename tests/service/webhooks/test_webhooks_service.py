"""The webhook service over the real broker: every service's events come in through
one queue, bound only to what some endpoint takes, each makes its deliveries once
however often it arrives, the worker in the service's process POSTs them to a
receiver, and endpoint_disabled reaches the broker through the outbox. On SQLite and
PostgreSQL."""

import json

import pytest
from standardwebhooks import Webhook

from chassis.envelope import make_envelope
from chassis.errors import Forbidden
from chassis.nameko.declare import declare_all
from chassis.nameko.publisher import BatchPublisher
from services.webhooks.service import WebhookService
from services.webhooks.settings import Settings
from tests.domain.webhooks.helpers import ALICE, BRANCH
from tests.support import ClusterRpcProxy, bodies, wait_for


@pytest.fixture
def webhooks(config, migrated_url, container_factory):
    section = {
        **config["webhooks"],
        "DATABASE_URL": migrated_url("webhooks"),
        "ALLOW_PRIVATE_URLS": True,
        "RETRY_BASE_SECONDS": 0.01,
        "RETRY_CAP_SECONDS": 0.05,
        "DELIVERY_POLL_SECONDS": 0.1,
    }
    services = {name: f"services.{name}.contract" for name in ("catalog", "webhooks")}
    config = {**config, "webhooks": section, "SERVICES": services}
    declare_all(config, [WebhookService])
    container_factory(WebhookService, config).start()
    return config


def fan_in_bindings(rabbit_manager, rabbit_config) -> list[tuple[str, str]]:
    """The exchanges and routing keys the fan-in's queue takes events by."""
    bound = rabbit_manager.get_queue_bindings(rabbit_config["vhost"], "evt-all--webhooks.on_event")
    return sorted((b["source"], b["routing_key"]) for b in bound if b["source"].endswith(".events"))


def rpc_as(config, caller, request_id=None):
    context = {"caller": caller.as_context()}
    if request_id:
        context["request_id"] = request_id
    return ClusterRpcProxy(config, context_data=context, timeout=10)


def publish(config, service, *envelopes):
    publisher = BatchPublisher(config["AMQP_URI"], f"{service}.events")
    publisher.publish_batch(
        [(e["type"].split(".")[1], e["id"], json.dumps(e), None) for e in envelopes]
    )
    publisher.close()


def test_an_event_arriving_twice_is_delivered_once_signed(webhooks, receiver):
    with rpc_as(webhooks, ALICE, "k-alice:1") as rpc:
        made = rpc.webhooks.register_endpoint({"url": receiver.url, "event_types": ["*"]})
        # The same request again is answered, not done twice.
        again = rpc.webhooks.register_endpoint({"url": receiver.url, "event_types": ["*"]})
        assert again == made
        assert len(rpc.webhooks.list_endpoints()["items"]) == 1
    event = make_envelope("catalog", "title_created", "T000001", {"title": "Tambo Kerinci"})
    publish(webhooks, "catalog", event, event)
    assert len(receiver.wait(1)) == 1
    wait_for(lambda: False, timeout=0.5)  # a second delivery would have come by now
    (got,) = receiver.received
    assert Webhook(made["secret"]).verify(got.body, got.headers) == event
    with rpc_as(webhooks, ALICE) as rpc:
        page = rpc.webhooks.list_deliveries(made["id"], {})
    assert [d["status"] for d in page["items"]] == ["delivered"]


def test_a_410_disables_the_endpoint_and_the_event_reaches_the_broker(
    webhooks, receiver, subscriber
):
    queue = subscriber.bind("webhooks", "endpoint_disabled")
    receiver.answer = lambda n, request: 410
    with rpc_as(webhooks, ALICE) as rpc:
        made = rpc.webhooks.register_endpoint(
            {"url": receiver.url, "event_types": ["catalog.title_created"]}
        )
    first = make_envelope("catalog", "title_created", "T1", {"x": 1})
    publish(webhooks, "catalog", first)
    (message,) = subscriber.drain(queue, expect=1)
    (disabled,) = bodies([message])
    assert disabled["type"] == "webhooks.endpoint_disabled"
    assert disabled["dataschema"] == "webhooks.endpoint_disabled/v1"
    assert disabled["data"]["endpoint_id"] == made["id"]
    # An event while it is disabled waits for it, and follows the first once enabled.
    later = make_envelope("catalog", "title_created", "T2", {"x": 2})
    publish(webhooks, "catalog", later)
    with rpc_as(webhooks, ALICE) as rpc:
        shown = rpc.webhooks.get_endpoint(made["id"])
        assert not shown["enabled"] and "410" in shown["disabled_reason"]

        def waiting() -> int:
            return len(rpc.webhooks.list_deliveries(made["id"], {"status": "waiting"})["items"])

        assert wait_for(lambda: waiting() == 2)  # the first, and the later one stored
        receiver.answer = lambda n, request: 200
        assert rpc.webhooks.enable_endpoint(made["id"])["enabled"]
    assert [r.id for r in receiver.wait(3)] == [first["id"], first["id"], later["id"]]


def test_only_integrators_and_admins_may_call(webhooks):
    with rpc_as(webhooks, BRANCH) as rpc, pytest.raises(Forbidden):
        rpc.webhooks.list_endpoints()


def test_the_broker_brings_only_the_events_an_endpoint_takes(
    webhooks, receiver, rabbit_manager, rabbit_config, container_factory
):
    # Declared by '*' on every service's events; started, with no endpoint: nothing.
    assert fan_in_bindings(rabbit_manager, rabbit_config) == []
    with rpc_as(webhooks, ALICE) as rpc:
        made = rpc.webhooks.register_endpoint(
            {"url": receiver.url, "event_types": ["catalog.title_created"]}
        )
    assert fan_in_bindings(rabbit_manager, rabbit_config) == [("catalog.events", "title_created")]
    title = make_envelope("catalog", "title_created", "T1", {"x": 1})
    copy = make_envelope("catalog", "item_added", "B1", {"x": 1})
    publish(webhooks, "catalog", copy, title)
    assert [r.id for r in receiver.wait(1)] == [title["id"]]

    with rpc_as(webhooks, ALICE) as rpc:
        rpc.webhooks.register_endpoint({"url": receiver.url, "event_types": ["*"]})
    everything = [
        ("catalog.events", "#"),
        ("catalog.events", "title_created"),
        ("webhooks.events", "#"),
    ]
    assert fan_in_bindings(rabbit_manager, rabbit_config) == everything
    # Declared again ('*' everywhere) and started again: the endpoints' own stay.
    declare_all(webhooks, [WebhookService])
    container_factory(WebhookService, webhooks).start()
    assert fan_in_bindings(rabbit_manager, rabbit_config) == everything
    with rpc_as(webhooks, ALICE) as rpc:
        assert len(rpc.webhooks.list_deliveries(made["id"], {})["items"]) == 1
    assert Settings.from_config(webhooks).catalogue.keys() == {"catalog", "webhooks"}


def test_endpoints_register_while_the_fan_in_writes(webhooks, receiver):
    # Binding a new endpoint's patterns is a broker call: made holding SQLite's write
    # lock, it stopped the fan-in's writers, and the process, until the lock's timeout.
    with rpc_as(webhooks, ALICE) as rpc:
        rpc.webhooks.register_endpoint({"url": receiver.url, "event_types": ["*"]})
    events = [make_envelope("catalog", "title_created", f"T{n}", {"x": n}) for n in range(300)]
    publish(webhooks, "catalog", *events)
    with rpc_as(webhooks, ALICE) as rpc:
        for _ in range(5):
            rpc.webhooks.register_endpoint(
                {"url": receiver.url, "event_types": ["catalog.item_added"]}
            )
        assert len(rpc.webhooks.list_endpoints()["items"]) == 6
    assert len(receiver.wait(300)) >= 300
