"""OAI-PMH 2.0 at /oai, for harvesters (public: they have no keys). The protocol is
the catalogue's (services/catalog/oai_pmh.py); this carries a request's arguments,
repeats kept (the protocol refuses them), and its own address there and back."""

from __future__ import annotations

from werkzeug.wrappers import Response

from services.catalog.contract import CONTRACT

from ...edge.calls import ServiceClient
from ...edge.http import PUBLIC, form_body, routes_over

route = routes_over(CONTRACT)


class OaiRoutes:
    catalog = ServiceClient(CONTRACT)

    @route("GET,POST", "/oai", PUBLIC, calls="oai", tag="oai",
           summary="OAI-PMH 2.0 (oai_dc, marc21).")  # fmt: skip
    def oai(self, request):
        args = form_body(request) if request.method == "POST" else request.args
        base = request.host_url.rstrip("/") + "/oai"
        return Response(self.catalog.oai(dict(args.lists()), base), mimetype="text/xml")
