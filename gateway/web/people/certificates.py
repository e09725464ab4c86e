"""Certificates: the public check a certificate's QR code opens, served from the
gateway's cache, its revocation (which drops it at once), and the PDF."""

from __future__ import annotations

import base64

from werkzeug.wrappers import Response

from chassis.api import BRANCH_KEYS, HEADQUARTERS
from services.people.contract import CONTRACT

from ...edge.cache import Cache, Freshness, kept_fresh
from ...edge.calls import ServiceClient
from ...edge.errors import json_response
from ...edge.http import PUBLIC, json_body, routes_over

route = routes_over(CONTRACT)

# A certificate's check is read by whoever scans its code, far more often than it
# changes: it is served from memory, and its one change (a revocation) drops it, at
# once for a revocation through this gateway, else when the event arrives (within
# GATEWAY_CACHE_SECONDS if events stop).
VERIFICATIONS = Freshness(
    "people.verification", source="people", drop_by={"certificate_revoked": "code"}
)


class Certificates:
    people = ServiceClient(CONTRACT)
    cache = Cache()

    on_verification_events = kept_fresh(VERIFICATIONS)

    def _verification(self, code: str) -> dict:
        found = self.cache.get(VERIFICATIONS.kind, code)
        if found is None:
            found = self.people.verify_certificate(code)
            self.cache.put(VERIFICATIONS.kind, code, found)
        return found

    @route("GET", "/v1/people/verifications/<code>", PUBLIC, calls="verify_certificate",
           summary="Check a certificate by its code, no key needed: valid or revoked, for whom "
                   "(the name only), the programme, its dates and hours.")  # fmt: skip
    def verify_certificate(self, request, code):
        return json_response(self._verification(code))

    @route("POST", "/v1/people/certificates/<code>/revoke", HEADQUARTERS,
           calls="revoke_certificate",
           summary="Revoke a certificate, with the reason its public check will show.")  # fmt: skip
    def revoke_certificate(self, request, code):
        revoked = self.people.revoke_certificate(code, json_body(request))
        self.cache.drop(VERIFICATIONS.kind, code)
        return json_response(revoked)

    @route("GET", "/v1/people/certificates/<code>/pdf", BRANCH_KEYS,
           calls="certificate_pdf", response=None,
           summary="A certificate as PDF, with the QR code of its public check.")  # fmt: skip
    def certificate_pdf(self, request, code):
        made = self.people.certificate_pdf(code)
        return Response(
            base64.b64decode(made["pdf_base64"]),
            mimetype="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{made["filename"]}"'},
        )
