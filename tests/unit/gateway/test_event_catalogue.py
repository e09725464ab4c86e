"""The event catalogue for people (/docs/events) says what /v1/asyncapi.json says:
every event of every service with its routing key, version and data fields, and the
webhook form of each, with the headers the webhook service signs."""

import re

from gateway.edge.asyncapi import build_asyncapi
from gateway.web.shell.event_catalogue import catalogue_page, catalogue_view
from pustaka import platform
from services.webhooks.contract import WEBHOOK_HEADERS

CONTRACTS = tuple((p.name, p.contract) for p in platform.services())


def test_every_event_is_on_the_page_with_every_field_of_its_data():
    document = build_asyncapi(CONTRACTS)
    html = catalogue_page(document).get_data(as_text=True)
    view = catalogue_view(document)
    shown = {e["type"]: e for s in view["services"] for e in s["events"]}
    assert set(shown) == {c["subscribe"]["message"]["name"] for c in document["channels"].values()}
    for name, event in shown.items():
        schema = document["components"]["schemas"][event["schema"]]
        assert [f["name"] for f in event["fields"]] == list(schema["properties"])
        assert f'id="{name}"' in html and event["dataschema"] in html
    title = shown["catalog.title_created"]
    assert {"name": "title", "type": "string", "required": True}.items() <= next(
        f for f in title["fields"] if f["name"] == "title"
    ).items()
    assert "<script" not in html


def test_each_event_has_its_webhook_form_with_the_signed_headers():
    document = build_asyncapi(CONTRACTS)
    assert document["servers"]["webhooks"]["protocol"] == "https"
    for channel in document["channels"].values():
        operation = channel["subscribe"]
        assert operation["bindings"]["http"]["method"] == "POST"
        headers = operation["message"]["bindings"]["http"]["headers"]
        assert headers["required"] == list(WEBHOOK_HEADERS)
    html = catalogue_page(document).get_data(as_text=True)
    assert all(f"<code>{name}</code>" in html for name in WEBHOOK_HEADERS)


def test_without_a_webhook_service_the_catalogue_offers_amqp_only():
    document = build_asyncapi((("catalog", "services.catalog.contract"),))
    assert set(document["servers"]) == {"broker"}
    html = catalogue_page(document).get_data(as_text=True)
    assert "By webhook" not in html and re.search(r"By AMQP", html)
