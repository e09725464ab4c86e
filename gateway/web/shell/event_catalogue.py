"""/docs/events: the event catalogue for people, rendered from the AsyncAPI document
the gateway serves at /v1/asyncapi.json, so the two cannot say different things.
Server-side HTML, no script: it reads the same anywhere, and prints."""

from __future__ import annotations

from werkzeug.wrappers import Response

from .render import page


def _type(prop: dict, schemas: dict) -> str:
    """A property's type as a reader wants it: string (date-time), list of Item..."""
    if "$ref" in prop:
        return prop["$ref"].rsplit("/", 1)[-1]
    kind = prop.get("type", "any")
    if isinstance(kind, list):  # a nullable field: ["string", "null"]
        kind = " or ".join(kind)
    if kind == "array":
        return f"list of {_type(prop.get('items', {}), schemas)}"
    if "format" in prop:
        return f"{kind} ({prop['format']})"
    if "enum" in prop:
        return f"{kind}: {', '.join(str(v) for v in prop['enum'] if v is not None)}"
    return kind


def _fields(schema_name: str, schemas: dict) -> list[dict]:
    schema = schemas.get(schema_name, {})
    required = set(schema.get("required", ()))
    return [
        {
            "name": name,
            "type": _type(prop, schemas),
            "required": name in required,
            "description": prop.get("description", ""),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


def catalogue_view(document: dict) -> dict:
    """What the page shows, from the document: each service's events with their
    exchange, routing key, version and data fields; the ways to receive them."""
    schemas = document["components"]["schemas"]
    services: dict[str, dict] = {}
    for channel_name, channel in document["channels"].items():
        exchange, routing_key = channel_name.split("/", 1)
        message = channel["subscribe"]["message"]
        payload = message["payload"]["properties"]
        data = payload["data"]["$ref"].rsplit("/", 1)[-1]
        service = services.setdefault(
            exchange, {"name": exchange.split(".")[0], "exchange": exchange, "events": []}
        )
        service["events"].append(
            {
                "type": message["name"],
                "routing_key": routing_key,
                "dataschema": payload["dataschema"]["const"],
                "schema": data,
                "fields": _fields(data, schemas),
            }
        )
    messages = [c["subscribe"]["message"] for c in document["channels"].values()]
    webhooks = document["servers"].get("webhooks")
    headers = messages[0]["bindings"]["http"]["headers"]["properties"] if webhooks else {}
    return {
        "info": document["info"],
        "broker": document["servers"]["broker"],
        "webhooks": webhooks,
        "headers": {name: spec["description"] for name, spec in headers.items()},
        "envelope": messages[0]["payload"]["required"] if messages else [],
        "services": list(services.values()),
    }


def catalogue_page(document: dict) -> Response:
    # For integrators, in English as the documents it renders and /docs are.
    return page("shell/event_catalogue.html", lang="en", **catalogue_view(document))
