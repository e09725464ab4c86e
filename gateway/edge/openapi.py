"""The OpenAPI document, generated from the routes and the marshmallow schemas
that the services validate with."""

from __future__ import annotations

import re
from functools import cache

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import Schema, fields
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR

from chassis.api import PATH_VALUE

from .errors import ERROR_TABLE
from .http import PUBLIC, UPLOAD, Route
from .signin import COOKIE

STATUS_TEXT = {
    400: "Bad input; nothing was changed.",
    401: "No valid API key.",
    403: "This key may not do this.",
    404: "No such record.",
    409: "Conflicts with a record.",
    410: "No longer open (a survey whose campaign has closed).",
    413: "Body too large.",
    422: "This Idempotency-Key was used for another request.",
    429: "Rate limit reached (per key; without a valid key, per client address).",
    503: "Service not running, the message broker cannot be reached, or (BUSY, without a key) "
    "too many keyless requests at once; retry after Retry-After.",
    504: "Service did not answer in time.",
}


class ErrorSchema(Schema):
    error = fields.String(required=True, metadata={"example": "NOT_FOUND"})
    message = fields.String(required=True)
    details = fields.Dict(required=True)


def _routes(service_cls):
    for name in dir(service_cls):
        for ext in getattr(getattr(service_cls, name), ENTRYPOINT_EXTENSIONS_ATTR, ()):
            if isinstance(ext, Route):
                yield name, ext


def _schema_name(schema) -> str:
    cls = schema if isinstance(schema, type) else type(schema)
    return cls.__name__


@cache  # the routes and schemas are fixed once the process has started
def build_spec(service_cls, version: str = "1.0.0") -> dict:
    spec = APISpec(
        title="Pustaka API",
        version=version,
        openapi_version="3.0.3",
        info={
            "description": "The HTTP API of Pustaka, for Perpustakaan Kota Sungai Penuh. "
            "The events it publishes: [/docs/events](/docs/events)."
        },
        plugins=[MarshmallowPlugin(schema_name_resolver=_schema_name)],
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.security_scheme(
        "signedIn",
        {
            "type": "apiKey",
            "in": "cookie",
            "name": COOKIE,
            "description": "A keyed page's alternative to the header: the session a "
            "librarian opens by signing in on /masuk (pages only, never the JSON API).",
        },
    )
    spec.components.schema("Error", schema=ErrorSchema)
    routes = sorted(_routes(service_cls), key=lambda r: r[1].url)
    for name, route in routes:
        doc = route.doc
        path = _path(route)
        params = [
            {"in": "path", "name": p, "required": True, "schema": {"type": "string"}}
            for p in _path_params(path)
        ]
        if doc["query"] is not None:
            params.append({"in": "query", "schema": doc["query"]})
        operation = {
            "operationId": name,
            "summary": doc["summary"],
            "tags": [doc["tag"]] if doc["tag"] else [],
            "parameters": params,
            "responses": {
                str(doc["status"]): {
                    "description": "OK",
                    "content": {"application/json": {"schema": doc["response"]}}
                    if doc["response"] is not None
                    else {},
                }
            },
        }
        codes = {400, 429, 503, 504} if route.roles is PUBLIC else {400, 401, 403, 429, 503, 504}
        if doc["link"]:
            operation["responses"][str(doc["status"])]["links"] = _links(doc["link"], routes)
        if doc["body"] is not None:
            operation["requestBody"] = {"required": True, "content": _body_content(doc["body"])}
            codes.add(413)
        if "{" in path:
            codes.add(404)
        for method in doc["calls"]:  # what the contract says the service may answer
            codes.update(status_of(error) for error in method.errors)
            if method.writes:  # an Idempotency-Key sent again with another body
                codes.add(422)
        if doc["page"]:  # a page for people: its answers, errors too, are HTML
            text = {"schema": {"type": "string"}}
            answers = {media: text for media in doc["media"]} or {"text/html": text}
            operation["responses"][str(doc["status"])]["content"] = answers
        for code in sorted(codes & set(ERROR_TABLE.values())):
            content = {"application/json": {"schema": "Error"}}
            if doc["page"]:
                # A path the router cannot read (a newline in a segment) matches no
                # route, so its 404 is the one error shape, not the page's.
                html = {"text/html": {"schema": {"type": "string"}}}
                content = {**html, **content} if code == 404 else html
            operation["responses"][str(code)] = {
                "description": STATUS_TEXT[code],
                "content": content,
            }
        if route.roles is not PUBLIC:
            # Either one: a keyed page also takes the signed-in cookie (edge/signin.py).
            operation["security"] = [{"bearer": []}, *([{"signedIn": []}] if doc["page"] else [])]
        for method in route.method.split(","):
            spec.path(path=path, operations={method.lower(): operation})
    return spec.to_dict()


def status_of(error: type[Exception]) -> int:
    """The status the error table gives an error class (its nearest ancestor's)."""
    return next(ERROR_TABLE[cls] for cls in error.__mro__ if cls in ERROR_TABLE)


def _path(route: Route) -> str:
    """werkzeug's /titles/<title_id> as OpenAPI's /titles/{title_id}."""
    return PATH_VALUE.sub(r"{\1}", route.url)


def _path_params(path: str) -> list[str]:
    return re.findall(r"{([^}]+)}", path)


def _links(link: tuple[str, str], routes) -> dict:
    """From an answer naming a record, to every route that takes it as `param`."""
    param, field = link
    return {
        name: {"operationId": name, "parameters": {param: f"$response.body#/{field}"}}
        for name, route in routes
        if param in _path_params(_path(route))
    }


def _body_content(body) -> dict:
    if body != UPLOAD:
        return {"application/json": {"schema": body}}
    binary = {"type": "string", "format": "binary"}
    return {
        "application/marc": {"schema": binary},
        "application/marcxml+xml": {"schema": binary},
        "application/octet-stream": {"schema": binary},
        "multipart/form-data": {
            "schema": {"type": "object", "properties": {"file": binary}, "required": ["file"]}
        },
    }
