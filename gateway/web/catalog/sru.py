"""SRU 1.2 at /sru, for a partner university's union or federated search (public:
its clients have no keys). The protocol is the catalogue's
(services/catalog/sru.py); this carries a request's arguments and its own address
there, and the answer back."""

from __future__ import annotations

from werkzeug.wrappers import Response

from services.catalog.contract import CONTRACT

from ...edge.calls import ServiceClient
from ...edge.http import PUBLIC, routes_over

route = routes_over(CONTRACT)


class SruRoutes:
    catalog = ServiceClient(CONTRACT)

    @route("GET", "/sru", PUBLIC, calls="sru", tag="sru",
           summary="SRU 1.2: explain, and searchRetrieve in CQL (cql.anywhere, dc.title, "
                   "dc.creator, dc.subject, bath.isbn) as MARCXML or Dublin Core.")  # fmt: skip
    def sru(self, request):
        base = request.host_url.rstrip("/") + "/sru"
        return Response(self.catalog.sru(dict(request.args.lists()), base), mimetype="text/xml")
