"""The generic host: each part's declared routes (its api.py, chassis/api.py) made
into the gateway's routes. A declared route calls its contract method with the
path's values, then the JSON body or the query, and answers the method's result:
JSON (201 with a Location for a new record), or XML text as it is."""

from __future__ import annotations

import re
from collections.abc import Callable

from chassis.api import BODY, Api, Route

from .errors import json_response, xml_response
from .http import contract_route, json_body, path_id

_LAST_VALUE = re.compile(r"<[^<>]+>(?!.*<)")


def declared_routes(api: Api) -> dict[str, Callable]:
    """{operation: the gateway's route function} for every route the API declares;
    the client they call is the gateway service's attribute named after the part."""
    for kind, public_id in api.ids.items():
        path_id(kind, *(public_id if isinstance(public_id, tuple) else (public_id,)))
    return {declared.operation: _forwarder(api, declared) for declared in api.routes}


def _forwarder(api: Api, declared: Route) -> Callable:
    part, method = api.contract.service, api.contract.method(declared.method)
    values = declared.path_values
    rest = method.params[len(values) :]  # the body and/or the query
    location = api.location_of(declared.created) if declared.created else None
    status = 201 if declared.created else declared.status

    def forward(self, request, **path):
        args = [path[name] for name in values]
        for name in rest:
            if name == BODY:
                args.append(json_body(request, optional=declared.optional_body))
            else:
                args.append(request.args.to_dict())
        answer = getattr(getattr(self, part), method.name)(*args)
        if declared.xml:
            return xml_response(answer)
        if location is None:
            return json_response(answer, status)
        where = _LAST_VALUE.sub(str(answer[declared.created[1]]), location)
        return json_response(answer, status, {"Location": where})

    forward.__name__ = forward.__qualname__ = declared.operation
    decorate = contract_route(
        declared.verb,
        declared.path,
        declared.roles,
        calls=(method,),
        summary=declared.summary,
        status=status,
        tag=part,
        link=declared.created or declared.link,
    )
    return decorate(forward)
