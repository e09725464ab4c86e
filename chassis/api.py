"""How a part declares its HTTP face: a line per route beside its contract
(services/<part>/api.py), naming the contract method the route calls and only what
differs from the defaults. The gateway serves every part's declarations through one
host (gateway/edge/host.py), which takes the rest from the method: the body or query
schema (its `payload` or `params` argument), the answer's schema, the errors it may
answer with, whether a reused Idempotency-Key is possible (a write), the tag (the
part's name).

A route's path values are the method's other arguments, in order. What does more
than call one method and answer its result (pages, CSV, uploads, caching) is no
declaration: it is the part's slice of the gateway's web app (gateway/web/<part>/).

Free of any web framework: a part's api.py imports its own contract and this.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from .contract import Contract, Method
from .ids import PublicId

PUBLIC = None  # roles=PUBLIC: no key needed; () any valid key; else the roles allowed
# The roles a route names most (admin, headquarters, is always allowed): the service
# checks each record against the caller (a branch's own, a partner's own).
HEADQUARTERS = ("admin",)
BRANCH_KEYS = ("admin", "branch")
PARTNER_KEYS = ("admin", "branch", "partner")
ANY_KEY = ("admin", "branch", "partner", "integrator")
BODY, QUERY = "payload", "params"  # a method's argument taking the JSON body, the query
PATH_VALUE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")  # werkzeug's <kind:name>, its name


@dataclass(frozen=True)
class Route:
    verb: str  # GET, POST, PUT, PATCH, DELETE
    path: str  # werkzeug's syntax: /v1/catalog/titles/<title:title_id>
    method: str  # the contract method it calls
    roles: tuple[str, ...] | None = ()  # admin is always allowed
    summary: str = ""
    # (path parameter, answer field): the answer is a new record, 201 with its Location
    # (the GET route of this API taking that parameter), and OpenAPI links to the
    # routes taking it.
    created: tuple[str, str] | None = None
    link: tuple[str, str] | None = None  # links only, for an answer that is no new record
    status: int = 200
    name: str | None = None  # the operation's name (operationId), where not the method's
    optional_body: bool = False  # no body at all is an empty object
    xml: bool = False  # the method answers XML text (MARCXML), sent as it is

    @property
    def operation(self) -> str:
        return self.name or self.method

    @property
    def path_values(self) -> list[str]:
        """The path's values in the order they appear: the method's first arguments."""
        return PATH_VALUE.findall(self.path)


def get(path: str, method: str, roles=(), **options) -> Route:
    return Route("GET", path, method, roles, **options)


def post(path: str, method: str, roles=(), **options) -> Route:
    return Route("POST", path, method, roles, **options)


def put(path: str, method: str, roles=(), **options) -> Route:
    return Route("PUT", path, method, roles, **options)


def patch(path: str, method: str, roles=(), **options) -> Route:
    return Route("PATCH", path, method, roles, **options)


def delete(path: str, method: str, roles=(), **options) -> Route:
    return Route("DELETE", path, method, roles, **options)


@dataclass(frozen=True)
class Api:
    """A part's declared routes over its contract, and the kinds of public id its
    paths take (`<title:title_id>`: a segment that must be TITLE_ID's own spelling,
    else 404 before any lookup), each with the noun its 404 names."""

    contract: Contract
    routes: tuple[Route, ...]
    ids: Mapping[str, PublicId | tuple[PublicId, str]] = field(default_factory=dict)

    def __post_init__(self):
        for route in self.routes:
            check_arguments(route, self.contract.method(route.method))

    def location_of(self, created: tuple[str, str]) -> str:
        """The path template of the GET route whose last value is `created`'s
        parameter: where a new record is read."""
        param = created[0]
        for route in self.routes:
            if route.verb == "GET" and route.path_values[-1:] == [param]:
                return route.path
        raise LookupError(f"no GET route of {self.contract.service} takes {param!r} last")


def check_arguments(route: Route, method: Method) -> None:
    """The route supplies exactly the method's arguments: its path values in order,
    then the body and/or the query."""
    values = [p for p in method.params if p not in (BODY, QUERY)]
    if len(values) != len(route.path_values) or method.params[: len(values)] != tuple(values):
        raise TypeError(
            f"{route.verb} {route.path} calls {method.name}{method.params}: its path values "
            f"{route.path_values} must be the method's first arguments, then {BODY!r}/{QUERY!r}"
        )
