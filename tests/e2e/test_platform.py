"""The whole platform over HTTP, as a branch, a partner and an integrator meet it."""

import json
import re
import time
from urllib.parse import urlparse

import pika
import pytest
import requests
from kombu import Connection

from chassis.envelope import make_envelope
from pustaka import platform as composition
from pustaka.broker_users import Broker, as_user, part_user
from tests.platform import platform_fixture
from tests.support import wait_for

# Its own (SQLite, then PostgreSQL): it kills and stops processes, and counts the
# titles a search finds, which another module's records would change; with two
# catalogue processes, to see them share their queue.
platform = platform_fixture(env={"CATALOG_REPLICAS": "2"})


def test_health_ready_and_the_api_documents(platform):
    assert platform.get("/health", key="").json() == {"status": "ok"}
    ready = platform.get("/ready", key="")
    assert ready.status_code == 200 and ready.json()["checks"] == {"broker": "ok", "keys": "ok"}

    def status():
        return platform.get("/v1/status", key="").json()["services"]

    # every service ok, one process of each but the catalogue's two (CATALOG_REPLICAS)
    expected = {p.name: {"state": "ok", "processes": 1} for p in composition.services()}
    expected["catalog"]["processes"] = 2
    assert wait_for(lambda: status() == expected), status()
    spec = platform.get("/v1/openapi.json", key="").json()
    assert spec["openapi"].startswith("3.")
    post = spec["paths"]["/v1/catalog/titles"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "TitleInput"
    )
    assert {"201", "400", "401", "403", "409", "503", "504"} <= set(post["responses"])
    assert "isbn" in spec["components"]["schemas"]["TitleInput"]["properties"]
    assert "409" in spec["paths"]["/v1/catalog/titles/{title_id}"]["put"]["responses"]
    upload = spec["paths"]["/v1/catalog/imports"]["post"]
    assert {"multipart/form-data", "application/marc"} <= set(upload["requestBody"]["content"])
    assert "413" in upload["responses"]
    events = platform.get("/v1/asyncapi.json", key="").json()
    assert "catalog.events/title_created" in events["channels"]
    assert "webhooks.events/endpoint_disabled" in events["channels"]
    assert set(events["servers"]) == {"broker", "webhooks"}
    readable = platform.get("/docs/events", key="")
    assert readable.status_code == 200 and readable.headers["Content-Type"].startswith("text/html")
    assert 'id="catalog.title_created"' in readable.text and "webhook-signature" in readable.text
    assert "events.events/event_completed" in events["channels"]
    docs = platform.get("/docs", key="")
    assert docs.status_code == 200 and '"/v1/openapi.json"' in docs.text
    assert "default-src 'none'" in docs.headers["Content-Security-Policy"]
    bundle = re.search(r'<script src="(/docs/assets/swagger-ui-bundle\.js\?v=\w+)"', docs.text)
    served = platform.get(bundle.group(1), key="")
    assert served.status_code == 200 and "SwaggerUIBundle" in served.text
    assert served.headers["Content-Type"].startswith("text/javascript")
    assert "immutable" in served.headers["Cache-Control"]
    unlisted = platform.get("/docs/assets/index.html", key="")
    assert (unlisted.status_code, unlisted.json()["error"]) == (404, "NOT_FOUND")


def test_a_branch_adds_a_title_finds_it_and_a_subscriber_hears_of_it(platform):
    # An integrator's own queue, bound with a plain AMQP client before the write.
    params = pika.URLParameters(platform.env["AMQP_URI"])
    connection = pika.BlockingConnection(params)
    channel = connection.channel()
    channel.queue_declare("dashboard.titles", durable=True)
    channel.queue_bind("dashboard.titles", "catalog.events", routing_key="title_created")

    branch = platform.new_key("Perpustakaan Cabang Kumun", "branch", "--branch", "KMN")
    body = {
        "title": "Sang Pemimpi",
        "authors": ["Andrea Hirata"],
        "subjects": ["Novel Indonesia"],
        "isbn": "602-03-3295-0",
        "year": 2006,
        "publisher": "Bentang Pustaka",
    }
    made = platform.post("/v1/catalog/titles", key=branch, json=body)
    assert made.status_code == 201, made.text
    title = made.json()
    assert made.headers["Location"] == f"/v1/catalog/titles/{title['id']}"
    assert title["isbn"] == "9786020332956"

    assert platform.get(f"/v1/catalog/titles/{title['id']}", key=branch).json() == title
    found = platform.get("/v1/catalog/titles", key=branch, params={"q": "pemimpi hirata"}).json()
    assert [t["id"] for t in found["items"]] == [title["id"]] and found["total"] == 1

    def delivered():
        _, properties, body = channel.basic_get("dashboard.titles", auto_ack=True)
        return (properties, body) if body is not None else None

    got = wait_for(delivered)
    connection.close()
    assert got is not None, "no catalog.title_created reached the subscriber"
    properties, raw = got
    envelope = json.loads(raw)
    assert envelope["specversion"] == "1.0"
    assert envelope["type"] == "catalog.title_created"
    assert envelope["source"] == "/services/catalog"
    assert envelope["subject"] == title["id"]
    assert envelope["dataschema"] == "catalog.title_created/v1"
    assert envelope["data"] == title
    assert properties.message_id == envelope["id"]
    assert properties.content_type == "application/json"
    # who did it, as far as it concerns an integrator: the role and branch, no key id
    assert properties.headers["nameko.caller"] == {
        "role": "branch",
        "branch": "KMN",
        "partner": None,
    }
    assert branch.split("_")[1] not in raw.decode() + json.dumps(properties.headers)


def test_errors_are_clear_and_change_nothing(platform):
    partner = platform.new_key("Universitas Jambi", "partner", "--partner", "UNJA")
    assert platform.get("/v1/catalog/titles", key="").status_code == 401
    assert platform.get("/v1/catalog/titles", key="pk_nope_nope").status_code == 401
    forbidden = platform.post("/v1/catalog/titles", key=partner, json={"title": "x"})
    assert forbidden.status_code == 403 and forbidden.json()["error"] == "FORBIDDEN"
    before = platform.get("/v1/catalog/titles").json()["total"]

    bad_isbn = platform.post("/v1/catalog/titles", json={"title": "x", "isbn": "979-3062-79-8"})
    assert bad_isbn.status_code == 400
    assert "isbn" in bad_isbn.json()["details"]["fields"]
    not_json = platform.post(
        "/v1/catalog/titles", data=b"{oops", headers={"Content-Type": "application/json"}
    )
    assert not_json.status_code == 400
    assert platform.post("/v1/catalog/titles", json=["a list"]).status_code == 400
    too_big = platform.post("/v1/catalog/titles", json={"title": "x" * 1_100_000})
    assert too_big.status_code == 413

    first = platform.post(
        "/v1/catalog/titles", json={"title": "Ronggeng Dukuh Paruk", "isbn": "9789792201963"}
    )
    assert first.status_code == 201
    dup = platform.post("/v1/catalog/titles", json={"title": "again", "isbn": "979-22-0196-3"})
    assert dup.status_code == 409 and dup.json()["details"]["existing_id"] == first.json()["id"]

    assert platform.get("/v1/catalog/titles/T999999").status_code == 404
    nowhere = platform.get("/v1/catalog/nowhere")
    assert (nowhere.status_code, nowhere.json()["error"]) == (404, "NOT_FOUND")
    wrong_method = requests.delete(platform.url + "/v1/catalog/titles", timeout=15)
    assert (wrong_method.status_code, wrong_method.json()["error"]) == (405, "METHOD_NOT_ALLOWED")
    assert set(wrong_method.headers["Allow"].split(", ")) >= {"GET", "POST"}
    assert platform.get("/v1/catalog/titles", params={"cursor": "garbage!"}).status_code == 400
    too_long = platform.get("/v1/catalog/titles", params={"q": "x" * 9_000})  # eventlet's limit
    assert (too_long.status_code, too_long.json()["error"]) == (414, "REQUEST_URI_TOO_LONG")
    assert platform.get("/v1/catalog/titles", params={"limit": 1000}).status_code == 400
    assert platform.get("/v1/catalog/titles").json()["total"] == before + 1


def test_keyset_pages_cover_every_match_exactly_once(platform):
    for i in range(5):
        assert (
            platform.post("/v1/catalog/titles", json={"title": f"Hikayat Halaman {i}"}).status_code
            == 201
        )
    seen, cursor = [], None
    while True:
        params = {"q": "hikayat", "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = platform.get("/v1/catalog/titles", params=params).json()
        assert page["total"] == 5
        seen += [t["id"] for t in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 5


def rpc_consumers(platform) -> int:
    params = pika.URLParameters(platform.env["AMQP_URI"])
    with pika.BlockingConnection(params) as connection:
        return connection.channel().queue_declare("rpc-catalog", passive=True).method.consumer_count


def test_replicas_share_their_services_queue(platform):
    assert rpc_consumers(platform) == 2  # CATALOG_REPLICAS=2


def test_a_killed_process_is_restarted(platform):
    pid = int(platform.ctl("pid", "catalog:catalog-0").strip())
    import os
    import signal

    os.kill(pid, signal.SIGKILL)

    def restarted():
        line = platform.ctl("status", "catalog:catalog-0")
        return "RUNNING" in line and f"pid {pid}," not in line

    assert wait_for(restarted, timeout=30, interval=0.5), platform.ctl("status")
    assert wait_for(lambda: rpc_consumers(platform) == 2, timeout=20)


@pytest.mark.parametrize("stop", ["catalog:*"])
def test_a_stopped_service_answers_503_within_its_deadline(platform, stop):
    platform.ctl("stop", stop)
    time.sleep(1.1)  # the gateway looks at consumers at most once a second
    started = time.monotonic()
    response = platform.get("/v1/catalog/titles", params={"q": "x"})
    elapsed = time.monotonic() - started
    assert response.status_code in (503, 504), response.text
    assert response.json()["details"]["service"] == "catalog"
    assert elapsed < float(platform.env["RPC_TIMEOUT_SECONDS"]) + 1
    # One stopped service takes only its own routes out, never the gateway.
    assert platform.get("/ready", key="").status_code == 200
    status = platform.get("/v1/status", key="").json()["services"]["catalog"]
    assert status == {"state": "SERVICE_UNAVAILABLE", "processes": 0}
    assert platform.get("/health", key="").status_code == 200
    # Only a title id in its own spelling is looked up: the gateway answers the rest.
    assert platform.get("/v1/catalog/titles/T0000001").status_code == 404

    platform.ctl("start", stop)
    platform.wait_ready(timeout=30)
    assert platform.get("/v1/catalog/titles").status_code == 200


def test_a_post_sent_again_with_its_idempotency_key_is_answered_not_done_again(platform):
    body = {"title": "Ayat-Ayat Cinta", "authors": ["Habiburrahman El Shirazy"]}
    headers = {"Idempotency-Key": "order-2026-12-01-0001"}
    first = platform.post("/v1/catalog/titles", json=body, headers=headers)
    again = platform.post("/v1/catalog/titles", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    found = platform.get("/v1/catalog/titles", params={"q": "ayat cinta"}).json()
    assert found["total"] == 1
    other = platform.post("/v1/catalog/titles", json={"title": "Lain"}, headers=headers)
    assert (other.status_code, other.json()["error"]) == (422, "UNPROCESSABLE")
    bad = platform.post("/v1/catalog/titles", json=body, headers={"Idempotency-Key": "a b"})
    assert bad.status_code == 400


def test_the_gateway_serves_no_event_sent_straight_to_its_queue(platform):
    title = platform.post("/v1/catalog/titles", json={"title": "Asli"}).json()
    vhost = urlparse(platform.env["AMQP_URI"]).path[1:]
    queues = requests.get(
        f"http://127.0.0.1:15672/api/queues/{vhost}", auth=("guest", "guest"), timeout=10
    ).json()
    theirs = [
        q["name"] for q in queues if q["name"].startswith("evt-catalog-title_updated--gateway")
    ]
    assert theirs, [q["name"] for q in queues]
    forged = {**title, "title": "Dipalsukan", "version": title["version"] + 1}
    envelope = make_envelope("catalog", "title_updated", title["id"], forged)
    with Connection(platform.env["AMQP_URI"]) as conn:
        for queue in theirs:  # through the default exchange, which any client may write to
            conn.Producer().publish(
                json.dumps(envelope),
                exchange="",
                routing_key=queue,
                content_type="application/json",
            )
    time.sleep(0.5)
    assert platform.get(f"/v1/catalog/titles/{title['id']}").json()["title"] == "Asli"


def test_each_part_is_on_the_broker_as_itself_and_may_publish_only_its_own_events(platform):
    passwords = json.loads((platform.var / "broker-passwords.json").read_text())
    vhost = urlparse(platform.env["AMQP_URI"]).path[1:]
    admin = Broker(platform.env["AMQP_URI"], 15672)
    parts = {f"pustaka-{part.name}@{vhost}" for part in composition.parts()}

    def connected() -> set:
        return {c["user"] for c in admin.connections() if c["vhost"] == vhost}

    # (A test above stopped and started the catalogue: it may still be reconnecting.)
    assert wait_for(lambda: parts <= connected(), timeout=30, interval=0.5), connected()
    assert connected() <= parts | {urlparse(platform.env["AMQP_URI"]).username}

    def refused(part, exchange, routing_key) -> bool:
        uri = as_user(
            platform.env["AMQP_URI"], part_user(part, platform.env["AMQP_URI"]), passwords[part]
        )
        connection = pika.BlockingConnection(pika.URLParameters(uri))
        try:
            channel = connection.channel()
            channel.confirm_delivery()
            body = json.dumps(make_envelope(part, "title_updated", "T000001", {"title": "x"}))
            channel.basic_publish(exchange, routing_key, body)
            return False
        except (pika.exceptions.ChannelClosedByBroker, pika.exceptions.AMQPChannelError) as exc:
            return "ACCESS_REFUSED" in str(exc)
        finally:
            if connection.is_open:
                connection.close()

    # A forged catalogue event, from any other part, is refused by the broker...
    assert refused("gateway", "catalog.events", "title_updated")
    assert refused("webhooks", "catalog.events", "title_updated")
    assert refused("people", "catalog.events", "title_updated")
    # ...as is a message sent straight to a queue, by the default exchange.
    assert refused("catalog", "", "rpc-people")
    # The owner may publish its own (a test's event, which no one handles).
    assert not refused("catalog", "catalog.events", "test_only")
