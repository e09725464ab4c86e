"""Each part can do only its job on the broker. Every attempt an outside probe made
with one part's broker password, repeated here as each part's own user against the
running platform: refused by the broker, or ignored by the part, and nothing is
changed, read or answered. Then the messages that stopped parts: each is parked with
its reason, and no process of any part exits."""

import json
import re
import uuid

import amqp
import eventlet
import pytest

from chassis.trust import part_user
from pustaka import platform as composition
from tests.platform import on_the_shared_platform
from tests.support import broker_as, wait_for

platform = on_the_shared_platform()
PARTS = [p.name for p in composition.parts()]
SERVICES = [p.name for p in composition.services()]
FORGED_ADMIN = {"nameko.caller": {"client_id": "forged", "role": "admin"}}


def connect(platform, part: str) -> amqp.Connection:
    return platform.broker_as(part)


def user(platform, part: str) -> str:
    return part_user(part, platform.env["AMQP_URI"])


def request(routing_key: str, args: list, user_id: str | None, headers=None) -> amqp.Message:
    properties = {"user_id": user_id} if user_id else {}
    return amqp.Message(
        json.dumps({"args": args, "kwargs": {}}),
        content_type="application/json",
        application_headers=FORGED_ADMIN if headers is None else headers,
        reply_to="reply.gateway.0",
        correlation_id=str(uuid.uuid4()),
        **properties,
    )


def refused(conn: amqp.Connection, act) -> str | None:
    """How the broker refused `act(channel)` (it closes the channel), or None."""
    channel = conn.channel()
    try:
        act(channel)
        channel.basic_qos(0, 1, False)  # a round trip: a refused publish shows here
    except (amqp.exceptions.AccessRefused, amqp.exceptions.PreconditionFailed) as exc:
        return type(exc).__name__
    channel.close()
    return None


def a_title(platform) -> dict:
    return platform.get("/v1/catalog/titles?limit=1").json()["items"][0]


@pytest.mark.parametrize("part", PARTS)
def test_no_part_calls_reads_or_answers_beyond_its_job(platform, part):
    title, before = a_title(platform), platform.get("/v1/catalog/branches").json()
    conn = connect(platform, part)
    me = user(platform, part)
    try:
        if part != "gateway":  # the gateway speaks for end users: that is its job
            for key, args in [
                ("catalog.withdraw_title", [title["id"]]),
                ("catalog.put_branch", [{"code": "SPN", "name": "FORGED"}]),
                ("people.get_staff", ["S000001"]),
            ]:
                forged = request(key, args, me)
                assert refused(
                    conn, lambda ch, m=forged, k=key: ch.basic_publish(m, "nameko-rpc", k)
                )
        # Nor does any part read what is not addressed to it, under a queue name of its
        # own: every request and reply ('#'), another's requests, the gateway's replies.
        spy = f"rpc.reply-{part}-spy"
        keys = ["#", "reply.gateway.*"] + (["catalog.*"] if part != "catalog" else [])
        for key in keys:
            bind = lambda ch, k=key: (ch.queue_declare(spy), ch.queue_bind(spy, "nameko-rpc", k))  # noqa: E731
            assert refused(conn, bind), key
        # Nor sends as another: the broker checks user_id against the connection's user.
        other = user(platform, "gateway" if part != "gateway" else "catalog")
        forged = request("catalog.get_title", [title["id"]], other)
        how = refused(conn, lambda ch: ch.basic_publish(forged, "nameko-rpc", "catalog.get_title"))
        assert how == "PreconditionFailed" if part == "gateway" else how
    finally:
        conn.close()
    assert a_title(platform) == title
    assert platform.get("/v1/catalog/branches").json() == before


def test_a_request_the_broker_does_not_vouch_for_is_parked_unanswered(platform):
    """The gateway's own user, naming no user_id: a header alone says nothing."""
    title = a_title(platform)
    conn = connect(platform, "gateway")
    try:
        channel = conn.channel()
        unvouched = request("catalog.withdraw_title", [title["id"]], None)
        channel.basic_publish(unvouched, "nameko-rpc", "catalog.withdraw_title")
        channel.close()
    finally:
        conn.close()
    assert wait_for(lambda: "from no user" in platform.cli("dlq", "list", "catalog"), timeout=15)
    assert a_title(platform) == title


def test_no_part_answers_in_anothers_place(platform):
    """The strongest case: the forger knows each request's reply key and correlation
    id (read here as the administrator, which no part can: above), answers first, and
    may publish replies to the gateway (every service may). The gateway still serves
    only the catalogue's own answers. A title's MARCXML is read afresh every time (a
    title's JSON may be in the gateway's cache, and then asks nothing to forge)."""
    uri = platform.env["AMQP_URI"]
    ids = [t["id"] for t in platform.get("/v1/catalog/titles?limit=20").json()["items"]]
    admin = broker_as(uri, "guest", "guest")
    spy = admin.channel()
    spy.queue_declare("test-spy", exclusive=True)
    spy.queue_bind("test-spy", "nameko-rpc", "catalog.export_title_marcxml")
    forger = connect(platform, "webhooks")
    forged = forger.channel()
    answered = []

    def forge(message):
        reply = {"result": "<record>FORGED REPLY</record>", "error": None}
        forged.basic_publish(
            amqp.Message(
                json.dumps(reply),
                content_type="application/json",
                correlation_id=message.properties["correlation_id"],
                user_id=user(platform, "webhooks"),
            ),
            "nameko-rpc",
            message.properties["reply_to"],
        )
        answered.append(message.properties["correlation_id"])

    spy.basic_consume("test-spy", callback=forge, no_ack=True)

    def serve():
        while True:
            try:
                admin.drain_events(timeout=0.1)
            except TimeoutError:
                eventlet.sleep(0)

    forging = eventlet.spawn(serve)
    try:
        records = [platform.get(f"/v1/catalog/titles/{i}/marcxml") for i in ids]
    finally:
        forging.kill()
        forger.close()
        admin.close()
    assert answered, "the forger saw no request to answer"
    assert all(r.status_code == 200 and "FORGED" not in r.text for r in records)
    assert all(f">{i}<" in r.text for i, r in zip(ids, records, strict=True))


def test_no_message_stops_a_part(platform):
    """The messages that made parts exit, or wedged them, sent to every service as the
    one sender parts answer (the gateway's user): none exits, each is parked."""
    before = processes(platform)
    parked = {service: platform.parked_requests(service) for service in SERVICES}
    sent = platform.send_poison(SERVICES, rounds=5) // len(SERVICES)
    for service in SERVICES:
        listed = wait_for(lambda s=service: platform.parked_requests(s) >= parked[s] + sent, 20)
        assert listed, platform.cli("dlq", "list", service)
    platform.wait_ready()
    assert processes(platform) == before  # no process exited or was restarted
    assert platform.get("/v1/catalog/titles?limit=1").status_code == 200


def processes(platform) -> dict[str, str]:
    """Each supervised process and its pid."""
    return dict(re.findall(r"^(\S+)\s+RUNNING\s+pid (\d+)", platform.ctl("status"), re.M))
