"""The event catalogue for integrators, as an AsyncAPI 2.6 document generated from
each service's contract (its events: the same marshmallow schemas the service dumps
event data with), so it cannot drift from the code. Which services: those the
composition root names in the configuration (SERVICES)."""

from __future__ import annotations

import importlib
from functools import cache

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from chassis.envelope import REQUIRED, SPECVERSION
from chassis.nameko.queues import integrator_queues

ENVELOPE = {
    "type": "object",
    "required": list(REQUIRED),
    "properties": {
        "specversion": {"type": "string", "const": SPECVERSION},
        "id": {"type": "string", "format": "uuid", "description": "the idempotency key"},
        "source": {"type": "string", "example": "/services/catalog"},
        "type": {"type": "string", "example": "catalog.title_created"},
        "time": {"type": "string", "format": "date-time"},
        "subject": {"type": "string", "description": "the id of the entity"},
        "dataschema": {"type": "string", "example": "catalog.title_created/v1"},
        "datacontenttype": {"type": "string", "const": "application/json"},
    },
}


def events_by_service(contracts: tuple[tuple[str, str], ...]) -> dict[str, tuple]:
    """service -> its contract's events, from (service, contract module) pairs."""
    return {name: importlib.import_module(module).CONTRACT.events for name, module in contracts}


def webhook_headers(contracts: tuple[tuple[str, str], ...]) -> dict[str, str] | None:
    """The headers of a webhook delivery, from the contract of the service that
    delivers them (WEBHOOK_HEADERS), if the platform has one."""
    for _, module in contracts:
        if headers := getattr(importlib.import_module(module), "WEBHOOK_HEADERS", None):
            return headers
    return None


def _webhook_form(headers: dict[str, str]) -> tuple[dict, dict, dict]:
    """The webhook form of every event: the server it comes from, its operation
    binding (one POST) and its message binding (the signed headers)."""
    server = {
        "url": "{endpoint}",
        "protocol": "https",
        "description": "The webhook service POSTs each event to every endpoint "
        "registered for it (POST /v1/webhooks/endpoints, with event types `*`, "
        "`<service>.*` or `<service>.<type>`): the body is the event's envelope, as on "
        "AMQP, signed per the Standard Webhooks specification. Answer 2xx to take it; "
        "anything else is retried with backoff, and 410 disables the endpoint.",
        "variables": {"endpoint": {"description": "the URL you registered"}},
    }
    operation = {"http": {"type": "request", "method": "POST", "bindingVersion": "0.1.0"}}
    message = {
        "http": {
            "headers": {
                "type": "object",
                "required": list(headers),
                "properties": {
                    name: {"type": "string", "description": text} for name, text in headers.items()
                },
            },
            "bindingVersion": "0.1.0",
        }
    }
    return server, operation, message


def _json_schemas(events_by_service: dict[str, dict]) -> dict:
    """JSON Schema of every event's data, through apispec's marshmallow converter."""
    spec = APISpec("events", "1", "3.0.3", plugins=[MarshmallowPlugin()])
    classes = {e.schema for events in events_by_service.values() for e in events}
    for schema in sorted(classes, key=lambda s: s.__name__):
        spec.components.schema(schema.__name__, schema=schema)
    return spec.to_dict()["components"]["schemas"]


@cache  # generated once per process: the schemas do not change while it runs
def build_asyncapi(contracts: tuple[tuple[str, str], ...]) -> dict:
    """The document for the services of (service, contract module) pairs."""
    by_service = events_by_service(contracts)
    schemas = _json_schemas(by_service)
    servers = {
        "broker": {
            "url": "{host}:5672/{vhost}",
            "protocol": "amqp",
            "protocolVersion": "0.9.1",
            "description": "RabbitMQ, as your own broker user (`pustaka integrators "
            f"create NAME`), reading queues named `{integrator_queues('NAME')}<anything>`.",
            "variables": {"host": {"default": "localhost"}, "vhost": {"default": "/"}},
        }
    }
    headers = webhook_headers(contracts)
    operation_bindings, message_bindings = {}, {}
    if headers:
        servers["webhooks"], operation_bindings, message_bindings = _webhook_form(headers)
    channels = {}
    for service, events in by_service.items():
        for event in events:
            event_type, name = event.type, f"{service}.{event.type}"
            payload = {**ENVELOPE, "properties": {**ENVELOPE["properties"]}}
            payload["properties"]["data"] = {
                "$ref": f"#/components/schemas/{event.schema.__name__}"
            }
            schema = f"{name}/v{event.version}"
            payload["properties"]["dataschema"] = {"type": "string", "const": schema}
            channels[f"{service}.events/{event_type}"] = {
                "description": f"Exchange `{service}.events` (topic), routing key "
                f"`{event_type}`; version {event.version} (`dataschema` `{schema}`).",
                "subscribe": {
                    "operationId": name.replace(".", "_"),
                    "bindings": operation_bindings,
                    "message": {
                        "name": name,
                        "contentType": "application/json",
                        "payload": payload,
                        "bindings": message_bindings,
                    },
                },
                "bindings": {
                    "amqp": {
                        "is": "routingKey",
                        "exchange": {"name": f"{service}.events", "type": "topic", "durable": True},
                    }
                },
            }
    return {
        "asyncapi": "2.6.0",
        "info": {
            "title": "Pustaka events",
            "version": "1.0.0",
            "description": "Bind a durable queue to a service's exchange with the event "
            "types you want, as your own broker user (`pustaka integrators create NAME`), "
            f"naming it `{integrator_queues('NAME')}<anything>`: that user may "
            "declare, bind and read such queues only. Or have them POSTed to a URL of "
            "yours, signed (the `webhooks` server). Bodies are CloudEvents-shaped "
            "envelopes; `id` is the idempotency key; a breaking change is a new major "
            "version of `dataschema`, published beside the old one. Read at /docs/events.",
        },
        "servers": servers,
        "defaultContentType": "application/json",
        "channels": channels,
        "components": {"schemas": schemas},
    }
