"""MARC files sent to the catalogue: read bounded, passed on as base64."""

from __future__ import annotations

import base64

from chassis.api import BRANCH_KEYS
from services.catalog.contract import CONTRACT

from ...edge.calls import ServiceClient
from ...edge.errors import json_response
from ...edge.http import UPLOAD, file_body, routes_over

route = routes_over(CONTRACT)
MAX_IMPORT_BYTES = 50_000_000


class CatalogUploads:
    catalog = ServiceClient(CONTRACT)

    @route(
        "POST",
        "/v1/catalog/imports",
        BRANCH_KEYS,
        calls="import_marc",
        body=UPLOAD,
        summary="Import a MARC21 (binary) or MARCXML file: the body, or form field 'file'. "
        "Bad records are reported by position; importing the same file again changes nothing. "
        "Copies come from 852 ($b branch, $c location, $p barcode) or Koha's 952; a holding "
        "that cannot be a copy (no barcode or branch, an unknown branch or location, a barcode "
        "in use, or for a branch key another branch) is skipped and listed in 'skipped', and "
        "its title still comes in.",
    )
    def import_marc(self, request):
        data = file_body(request, MAX_IMPORT_BYTES)
        return json_response(self.catalog.import_marc(base64.b64encode(data).decode()))
