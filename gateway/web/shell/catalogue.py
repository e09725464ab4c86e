"""The event catalogue for people: /v1/asyncapi.json as a page."""

from __future__ import annotations

from nameko.dependency_providers import Config

from ...edge.asyncapi import build_asyncapi
from ...edge.http import PUBLIC, route
from .event_catalogue import catalogue_page


class EventCatalogue:
    config = Config()

    @route(
        "GET",
        "/docs/events",
        roles=PUBLIC,
        summary="The events, for people: /v1/asyncapi.json as a page.",
        tag="platform",
        page=True,
    )
    def docs_events(self, request):
        return catalogue_page(build_asyncapi(tuple(self.config["SERVICES"].items())))
