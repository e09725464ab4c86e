"""Adding a part takes its folder and one line in the list of parts. The example part
(tests/example_part: a table, a write, a read, an event) joins the platform by one
entry (tests/example_part/platform.py); the same runner as `make up` migrates its
database, declares its exchange, runs it beside the others, and the gateway shows it
in its status and its event catalogue, with nothing else changed."""

import json

import requests

from chassis.context import SYSTEM
from pustaka import platform as composition
from tests.platform import platform_fixture
from tests.support import Subscriber

PARTS = "tests.example_part.platform:PARTS"
with_example = platform_fixture(("sqlite",), {"PUSTAKA_PARTS": PARTS})


def test_the_example_part_runs_beside_the_others_and_publishes(with_example, monkeypatch):
    url, uri = with_example.url, with_example.env["AMQP_URI"]
    monkeypatch.setenv("PUSTAKA_PARTS", PARTS)
    assert [p.name for p in composition.parts()] == [
        "catalog",
        "people",
        "events",
        "feedback",
        "webhooks",
        "gateway",
        "example",
    ]

    status = requests.get(url + "/v1/status", timeout=10).json()["services"]
    assert status["example"]["state"] == "ok" and status["catalog"]["state"] == "ok"
    catalogue = requests.get(url + "/v1/asyncapi.json", timeout=10).json()["channels"]
    assert "example.events/note_added" in catalogue

    subscriber = Subscriber(uri)
    try:
        queue = subscriber.bind("example", "note_added")
        context = {"request_id": "test:note-1", "caller": SYSTEM.as_context()}
        note = with_example.call(
            "example", "add_note", {"text": "Rapat pustakawan"}, context=context
        )
        assert with_example.call("example", "get_note", note["id"], context=context) == note
        (message,) = subscriber.drain(queue, expect=1)
    finally:
        subscriber.close()
    envelope = json.loads(message.body)
    assert envelope["type"] == "example.note_added" and envelope["data"] == note
    assert envelope["dataschema"] == "example.note_added/v1"
