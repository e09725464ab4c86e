"""OAI-PMH 2.0 at /oai, for harvesters: the protocol (oai_pmh.py) over the
catalogue's client (oai_repository.py). Public: harvesters have no keys."""

from __future__ import annotations

from nameko.dependency_providers import Config
from werkzeug.wrappers import Response

from services.catalog.contract import CONTRACT

from ...edge.calls import ServiceClient
from ...edge.http import PUBLIC, form_body, routes_over
from . import oai_pmh
from .oai_repository import CatalogRepository

route = routes_over(CONTRACT)


class OaiRoutes:
    catalog = ServiceClient(CONTRACT)
    config = Config()

    @route(
        "GET,POST",
        "/oai",
        PUBLIC,
        calls=("harvest", "harvest_record", "harvest_info"),
        tag="oai",
        query=None,
        response=None,
        summary="OAI-PMH 2.0 (oai_dc, marc21).",
    )
    def oai(self, request):
        args = form_body(request) if request.method == "POST" else request.args
        base = request.host_url.rstrip("/") + "/oai"
        repository = CatalogRepository(self.catalog)
        admin = self.config["OAI_ADMIN_EMAIL"]
        _, body = oai_pmh.handle(args, repository, base, admin_email=admin)
        return Response(body, mimetype="text/xml")
