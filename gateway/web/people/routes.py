"""The people slice's page route: the certificate check a certificate's QR opens."""

from __future__ import annotations

from gateway.edge.http import PUBLIC, route
from gateway.web.shell.render import PageQuery
from services.people.contract import CONTRACT

from .verification import verification_page


class PeoplePages:
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
        # Read through the slice's cache of verifications (certificates.py), as the
        # JSON check is.
        return verification_page(request, code, self._verification)
