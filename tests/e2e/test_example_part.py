"""Adding a part takes its folder and one line in the list of parts. The example part
(tests/example_part: a table, a write, a read, an event) joins the platform by one
entry (tests/example_part/platform.py); the same runner as `make up` migrates its
database, declares its exchange, runs it beside the others, and the gateway shows it
in its status and its event catalogue, with nothing else changed."""

import json

import requests

from chassis.context import SYSTEM
from pustaka import platform as composition
from tests.e2e.access import operations, role_keys, walk
from tests.example_part.access import ACCESS as EXAMPLE_ACCESS
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
        "insight",
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


def test_its_declared_routes_and_page_are_served_documented_and_guarded(with_example):
    """Its api.py's two lines are routes of the gateway, and its web.py a page:
    served over HTTP, in the OpenAPI document with its contract's schemas, and
    answering each role as its rows of the access table say."""
    made = with_example.post("/v1/example/notes", json={"text": "Jadwal piket"})
    assert made.status_code == 201, made.text
    note = made.json()
    assert made.headers["Location"] == f"/v1/example/notes/{note['id']}"
    assert with_example.get(made.headers["Location"]).json() == note
    refused = with_example.post("/v1/example/notes", json={"text": ""})
    assert refused.status_code == 400 and refused.json()["details"]["fields"]["text"]

    page = with_example.get(f"/catatan/{note['id']}", key="")
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    assert "Jadwal piket" in page.text and 'lang="id"' in page.text
    missing = with_example.get("/catatan/999999", key="")
    assert missing.status_code == 404 and "text/html" in missing.headers["Content-Type"]

    document = with_example.get("/v1/openapi.json", key="").json()
    mine = {op for op in operations(with_example) if op[1].startswith(("/v1/example", "/catatan"))}
    assert mine == set(EXAMPLE_ACCESS)
    add = document["paths"]["/v1/example/notes"]["post"]
    assert add["tags"] == ["example"] and "422" in add["responses"]
    assert "NoteOutput" in document["components"]["schemas"]
    shown = document["paths"]["/catatan/{note_id}"]["get"]["responses"]["200"]["content"]
    assert list(shown) == ["text/html"]

    keys = role_keys(with_example)
    assert walk(with_example, EXAMPLE_ACCESS, keys, {"note_id": str(note["id"])}) == []
