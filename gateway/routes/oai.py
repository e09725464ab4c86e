"""OAI-PMH 2.0 at /oai, for harvesters: the protocol (gateway/oai) over the
catalogue's client. Public: harvesters have no keys."""

from __future__ import annotations

from nameko.dependency_providers import Config
from werkzeug.wrappers import Response

from services.catalog.contract import CONTRACT

from ..edge.calls import ServiceClient
from ..edge.http import PUBLIC, form_body, route
from ..oai import provider
from ..oai.repository import CatalogRepository


class OaiRoutes:
    catalog = ServiceClient(CONTRACT)
    config = Config()

    @route(
        "GET,POST",
        "/oai",
        roles=PUBLIC,
        summary="OAI-PMH 2.0 (oai_dc, marc21).",
        tag="oai",
        calls=tuple(map(CONTRACT.method, ("harvest", "harvest_record", "harvest_info"))),
    )
    def oai(self, request):
        args = form_body(request) if request.method == "POST" else request.args
        base = request.host_url.rstrip("/") + "/oai"
        repository = CatalogRepository(self.catalog)
        admin = self.config["OAI_ADMIN_EMAIL"]
        _, body = provider.handle(args, repository, base, admin_email=admin)
        return Response(body, mimetype="text/xml")
