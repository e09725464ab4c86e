"""Adding a part takes its folder and one line in the list of parts. The example part
(tests/example_part: a table, a write, a read, an event) joins the platform by one
entry (tests/example_part/platform.py); the same runner as `make up` migrates its
database, declares its exchange, runs it beside the others, and the gateway shows it
in its status and its event catalogue, with nothing else changed."""

import json
import uuid
from urllib.parse import urlparse

import pytest
import requests
from nameko.standalone.rpc import ClusterRpcProxy

from pustaka import platform
from tests.support import Subscriber, running_platform

PARTS = "tests.example_part.platform:PARTS"


@pytest.fixture(scope="module")
def with_example(request, rabbit_manager, tmp_path_factory):
    var = tmp_path_factory.mktemp("example")
    amqp = urlparse(request.config.getoption("RABBIT_AMQP_URI"))
    vhost = f"pustaka_example_{uuid.uuid4().hex[:8]}"
    rabbit_manager.create_vhost(vhost)
    rabbit_manager.set_vhost_permissions(vhost, amqp.username, ".*", ".*", ".*")
    uri = f"amqp://{amqp.netloc}/{vhost}"
    try:
        with running_platform(var, uri, {"PUSTAKA_PARTS": PARTS}) as (url, env):
            yield url, uri
    finally:
        rabbit_manager.delete_vhost(vhost)


def test_the_example_part_runs_beside_the_others_and_publishes(with_example, monkeypatch):
    url, uri = with_example
    monkeypatch.setenv("PUSTAKA_PARTS", PARTS)
    assert [p.name for p in platform.parts()] == ["catalog", "gateway", "example"]

    status = requests.get(url + "/v1/status", timeout=10).json()["services"]
    assert status["example"]["state"] == "ok" and status["catalog"]["state"] == "ok"
    catalogue = requests.get(url + "/v1/asyncapi.json", timeout=10).json()["channels"]
    assert "example.events/note_added" in catalogue

    subscriber = Subscriber(uri)
    try:
        queue = subscriber.bind("example", "note_added")
        config = {**platform.load_config(), "AMQP_URI": uri}
        context = {"request_id": "test:note-1"}
        with ClusterRpcProxy(config, context_data=context, timeout=10) as rpc:
            note = rpc.example.add_note({"text": "Rapat pustakawan"})
            assert rpc.example.get_note(note["id"]) == note
        (message,) = subscriber.drain(queue, expect=1)
    finally:
        subscriber.close()
    envelope = json.loads(message.body)
    assert envelope["type"] == "example.note_added" and envelope["data"] == note
    assert envelope["dataschema"] == "example.note_added/v1"
