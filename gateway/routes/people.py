"""Staff development's routes, over the people service's client (made from its
contract), and the public certificate check a certificate's QR code opens.

Headquarters (admin keys) manages everything; a branch key manages its own
branch's staff (the service checks each record against the caller); partner and
integrator keys read the programmes and the competency framework, nothing about a
person."""

from __future__ import annotations

from services.people.contract import (
    CONTRACT,
)

from ..edge.calls import ServiceClient
from ..edge.http import PUBLIC, route
from ..pages.certificates import verification_page
from ..pages.render import PageQuery


class PeopleRoutes:
    people = ServiceClient(CONTRACT)

    @route(
        "GET",
        "/verify/<path:code>",
        roles=PUBLIC,
        summary="The certificate check for people, as an HTML page (?lang=en for English); "
        "an unknown code is a 404 page.",
        query=PageQuery,
        tag="people",
        page=True,
        calls=(CONTRACT.method("verify_certificate"),),
    )
    def verify_page(self, request, code):
        return verification_page(request, code, self._verification)
