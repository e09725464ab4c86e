"""Keyless traffic beside keyed in one gateway process, over real sockets
(gateway/edge/auth.py, http.py): a keyless request beyond GATEWAY_KEYLESS_IN_FLIGHT
at once is refused (503 BUSY, after waiting a moment for a place) while a keyed
request is answered, and a keep-alive connection refused for its rate is not read
again before its Retry-After, while other clients are served. Each keyless client
is an address of its own, so that only the limit under test refuses it."""

import select
from http.client import HTTPConnection

import eventlet
import pytest
from eventlet.event import Event
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from chassis.config import database_url
from gateway.edge import auth
from gateway.edge.errors import json_response
from gateway.edge.http import PUBLIC, route
from gateway.keys import create_key
from gateway.models import Base
from tests.support import client_at, free_port

RATE = 0.2  # keyless requests a second per address: one in any 5 s (Retry-After: 5)


class Gate:
    """Holds the keyless requests of /held until opened; says when one is in."""

    def __init__(self):
        self.entered, self.opened = Event(), Event()


gate = Gate()


class Desk:
    name = "desk"

    @route("GET", "/held", roles=PUBLIC)
    def held(self, request):
        gate.entered.send()
        gate.opened.wait()
        return json_response({"served": "keyless"})

    @route("GET", "/open", roles=PUBLIC)
    def open(self, request):
        return json_response({"served": "keyless"})

    @route("GET", "/keyed", roles=())
    def keyed(self, request):
        return json_response({"served": "keyed"})


@pytest.fixture
def desk(config, container_factory):
    global gate
    gate = Gate()
    engine = create_engine(database_url(config, "gateway"))
    Base.metadata.create_all(engine)
    with Session(engine) as session, session.begin():
        _, key = create_key(session, "Cabang Uji", "branch", branch="KMN")
    engine.dispose()
    port = free_port()
    settings = {
        **config,
        "WEB_SERVER_ADDRESS": f"127.0.0.1:{port}",
        "GATEWAY_KEYLESS_IN_FLIGHT": 1,
        "GATEWAY_ANONYMOUS_RATE_LIMIT": RATE,
    }
    container_factory(Desk, settings).start()
    return f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {key}"}


def test_keyless_requests_beyond_the_bound_are_refused_a_keyed_one_answered(desk):
    url, key = desk
    first = eventlet.spawn(client_at("127.0.0.2").get, url + "/held", timeout=10)
    gate.entered.wait()
    beyond = client_at("127.0.0.3").get(url + "/held", timeout=10)
    assert beyond.status_code == 503 and beyond.json()["error"] == "BUSY"
    assert beyond.headers["Retry-After"] == "1"
    assert client_at("127.0.0.4").get(url + "/keyed", headers=key, timeout=10).ok
    gate.opened.send()
    assert first.wait().json() == {"served": "keyless"}


def test_a_connection_refused_for_its_rate_is_not_read_again_before_retry_after(desk):
    url, key = desk
    host, port = url.removeprefix("http://").split(":")
    flooding = HTTPConnection(host, int(port), timeout=10, source_address=("127.0.0.5", 0))
    answers = []
    for _ in range(2):  # one within the address's rate, one over it: both at once
        flooding.request("GET", "/open")
        answer = flooding.getresponse()
        answers.append((answer.status, answer.getheader("Retry-After")))
        answer.read()
    assert answers == [(200, None), (429, "5")]
    flooding.request("GET", "/open")  # sent again at once, on the same connection
    assert client_at("127.0.0.6").get(url + "/keyed", headers=key, timeout=10).ok
    assert client_at("127.0.0.7").get(url + "/open", timeout=10).ok  # another address
    unanswered, _, _ = select.select([flooding.sock], [], [], 0)
    assert not unanswered  # held: its Retry-After has 5 s to run
    flooding.close()


def test_a_flood_on_new_connections_has_its_refusals_held_while_others_are_served(
    desk, monkeypatch
):
    """Past FLOOD_REFUSALS refusals a second, an address's next refusal is answered
    only after its Retry-After: a client opening a new connection for each request
    is slowed as one on a kept connection is (the test above)."""
    monkeypatch.setattr(auth, "FLOOD_REFUSALS", 1)
    url, key = desk
    host, port = url.removeprefix("http://").split(":")

    def sent_alone() -> HTTPConnection:
        connection = HTTPConnection(host, int(port), timeout=10, source_address=("127.0.0.8", 0))
        connection.request("GET", "/open", headers={"Connection": "close"})
        return connection

    answers = []
    for _ in range(2):  # within the address's rate, then refused: answered at once
        answer = sent_alone().getresponse()
        answers.append((answer.status, answer.getheader("Retry-After")))
    assert answers == [(200, None), (429, "5")]
    flooding = sent_alone()  # its second refusal in the second: a flood's
    assert client_at("127.0.0.9").get(url + "/keyed", headers=key, timeout=10).ok
    assert client_at("127.0.0.10").get(url + "/open", timeout=10).ok  # another address
    unanswered, _, _ = select.select([flooding.sock], [], [], 0)
    assert not unanswered  # held: its Retry-After has 5 s to run
    flooding.close()
