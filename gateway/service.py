"""The gateway service, composed from the parts: the host's own routes (health,
status, documents), each part's declared routes served by the generic host
(edge/host.py) over a client of its contract named after it, and each part's web
slice. The composition root builds it from the list of parts (pustaka/gateway.py);
nothing here names a part."""

from __future__ import annotations

from collections.abc import Iterable

from chassis.part import Part

from .edge.calls import ServiceClient
from .edge.host import declared_routes
from .edge.platform import PlatformRoutes


def compose(parts: Iterable[Part]) -> type:
    bases: list[type] = [PlatformRoutes]
    members: dict = {"name": "gateway"}
    for part in parts:
        bases += part.web_routes()
        api = part.declared_api()
        if api is not None:
            routes = declared_routes(api)
            for name in routes.keys() & members.keys():
                raise TypeError(f"{part.name} declares {name!r}, which another part declares too")
            members[part.name] = ServiceClient(api.contract)
            members.update(routes)
    for base in bases:
        for name in members.keys() & vars(base).keys() - {"name"}:
            if not isinstance(members[name], ServiceClient):
                raise TypeError(f"{base.__name__}.{name} is also a declared route")
    return type("GatewayService", tuple(dict.fromkeys(bases)), members)
