"""The event catalogue for integrators, as an AsyncAPI 2.6 document generated from
each service's contract (its events: the same marshmallow schemas the service dumps
event data with), so it cannot drift from the code. Which services: those the
composition root names in the configuration (SERVICES)."""

from __future__ import annotations

import importlib
from functools import cache

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from services.chassis.envelope import REQUIRED, SPECVERSION
from services.chassis.nameko.queues import integrator_queues

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
                    "message": {
                        "name": name,
                        "contentType": "application/json",
                        "payload": payload,
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
            "declare, bind and read such queues only. Bodies are CloudEvents-shaped "
            "envelopes; `id` is the idempotency key; a breaking change is a new major "
            "version of `dataschema`, published beside the old one.",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "components": {"schemas": schemas},
    }
