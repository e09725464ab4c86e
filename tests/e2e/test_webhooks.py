"""Webhooks end to end: an integrator registers its receiver through the gateway, a
title is catalogued through the gateway, and the receiver gets the signed event;
the integrator sees the delivery, no other client does. The receiver listens on
127.0.0.1: the shared platform lets endpoints be private addresses."""

from standardwebhooks import Webhook

from services.webhooks.contract import WEBHOOK_HEADERS
from tests.platform import on_the_shared_platform
from tests.receiver import Receiver

platform = on_the_shared_platform()


def test_a_title_catalogued_through_the_gateway_reaches_the_integrators_webhook(platform):
    dashboard = platform.new_key("Dasbor Kota Sungai Penuh", "integrator")
    other = platform.new_key("Katalog Induk", "integrator")
    branch = platform.new_key("Cabang Kumun", "branch", "--branch", "KMN")
    receiver = Receiver()
    try:
        made = platform.post(
            "/v1/webhooks/endpoints",
            key=dashboard,
            json={"url": receiver.url, "event_types": ["catalog.title_created"]},
        )
        assert made.status_code == 201, made.text
        endpoint = made.json()
        title = platform.post("/v1/catalog/titles", json={"title": "Sejarah Kerinci"}).json()
        (got,) = receiver.wait(1, timeout=30)
        event = Webhook(endpoint["secret"]).verify(got.body, got.headers)
        assert event["type"] == "catalog.title_created" and event["subject"] == title["id"]
        assert event["data"]["title"] == "Sejarah Kerinci"
        assert got.headers["webhook-id"] == event["id"]
        assert set(WEBHOOK_HEADERS) <= {name.lower() for name in got.headers}  # as documented
    finally:
        receiver.stop()

    path = f"/v1/webhooks/endpoints/{endpoint['id']}"
    page = platform.get(path + "/deliveries", key=dashboard).json()
    (delivery,) = page["items"]
    assert delivery["status"] == "delivered" and delivery["event_id"] == event["id"]
    attempts = platform.get(f"{path}/deliveries/{delivery['id']}/attempts", key=dashboard)
    assert [a["status_code"] for a in attempts.json()["items"]] == [204]
    assert platform.get(path, key=other).status_code == 403
    assert platform.get("/v1/webhooks/endpoints", key=branch).status_code == 403
    assert platform.get("/v1/webhooks/endpoints", key=other).json()["items"] == []
    listed = platform.get("/v1/webhooks/endpoints").json()["items"]  # the admin's: all
    assert endpoint["id"] in [e["id"] for e in listed]

    refused = platform.post(
        "/v1/webhooks/endpoints", key=dashboard, json={"url": "ftp://x", "event_types": ["*"]}
    )
    assert refused.status_code == 400 and "url" in refused.json()["details"]["fields"]
    typo = {"url": receiver.url, "event_types": ["catalog.nope"]}
    refused = platform.post("/v1/webhooks/endpoints", key=dashboard, json=typo)
    assert refused.status_code == 400
    assert "'catalog.nope'" in refused.json()["details"]["fields"]["event_types"][0]
    off = platform.post(path + "/disable", key=dashboard)
    assert off.status_code == 200 and off.json()["enabled"] is False
    rotated = platform.post(path + "/rotate-secret", key=dashboard).json()
    assert rotated["secret"] != endpoint["secret"] and rotated["previous_secret_expires_at"]
    assert platform.post(path + "/enable", key=dashboard).json()["enabled"] is True
    assert platform.get("/v1/webhooks/endpoints/WH0000001", key=dashboard).status_code == 404
    # Its receiver is gone: the platform's other tests' titles are not to be retried.
    assert platform.post(path + "/disable", key=dashboard).json()["enabled"] is False
