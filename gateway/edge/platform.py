"""The platform's own routes: liveness, readiness (the gateway's own dependencies
only: one stopped service never takes the whole API out), each service's status,
and the documents (OpenAPI, AsyncAPI, the explorer for people)."""

from __future__ import annotations

import eventlet
from nameko.dependency_providers import Config

from .asyncapi import build_asyncapi
from .auth import KeyStoreAccess, forgets_revoked_keys
from .calls import ServiceCalls
from .docs import asset_response, page_response
from .errors import json_response
from .http import PUBLIC, route
from .openapi import build_spec


class PlatformRoutes:
    call = ServiceCalls()
    config = Config()
    keys = KeyStoreAccess()

    on_key_revoked = forgets_revoked_keys()

    @route("GET", "/health", roles=PUBLIC, summary="The gateway is alive.", tag="platform")
    def health(self, request):
        return json_response({"status": "ok"})

    @route(
        "GET",
        "/ready",
        roles=PUBLIC,
        summary="The gateway's own dependencies (broker, key store) answer.",
        tag="platform",
    )
    def ready(self, request):
        checks = {"broker": self.call.broker_answers, "keys": self.keys.answers}
        status = {name: "ok" if check() else "unavailable" for name, check in checks.items()}
        ready = all(s == "ok" for s in status.values())
        return json_response({"ready": ready, "checks": status}, 200 if ready else 503)

    @route(
        "GET",
        "/v1/status",
        roles=PUBLIC,
        summary="Each service's state: its running processes, and its answer to a health call.",
        tag="platform",
    )
    def status(self, request):
        names = list(self.config["SERVICES"])
        checks = [eventlet.spawn(self._service_state, name) for name in names]
        states = {name: check.wait() for name, check in zip(names, checks, strict=True)}
        return json_response({"services": states})

    def _service_state(self, service: str) -> dict:
        try:
            processes = self.call.processes(service)
        except Exception:  # the broker cannot be asked
            return {"state": "SERVICE_UNAVAILABLE", "processes": 0}
        try:
            self.call(service, "health", deadline=2.0, writes=False)
            state = "ok"
        except Exception as exc:  # the state shown is the error's code
            state = getattr(exc, "code", type(exc).__name__)
        return {"state": state, "processes": processes}

    @route("GET", "/v1/openapi.json", roles=PUBLIC, summary="This document.", tag="platform")
    def openapi(self, request):
        return json_response(build_spec(type(self)))

    @route(
        "GET",
        "/v1/asyncapi.json",
        roles=PUBLIC,
        summary="The events, for integrators.",
        tag="platform",
    )
    def asyncapi(self, request):
        return json_response(build_asyncapi(tuple(self.config["SERVICES"].items())))

    @route("GET", "/docs", roles=PUBLIC, summary="The API, for people.", tag="platform")
    def docs(self, request):
        return page_response()

    @route(
        "GET",
        "/docs/assets/<name>",
        roles=PUBLIC,
        summary="A file the /docs page loads; any other name is not found.",
        tag="platform",
    )
    def docs_asset(self, request, name):
        return asset_response(name)
