"""The catalogue, as the OAI-PMH module asks for it, over RPC."""

from __future__ import annotations

from chassis.errors import ValidationFailed

from .oai_pmh import OAIError


class CatalogRepository:
    """One per request. MARCXML comes from the catalogue with the records (it owns
    the MARC mapping), and is kept here until the page is written."""

    def __init__(self, catalog):
        self.catalog = catalog  # the catalogue's client (gateway.edge.calls.ServiceClient)
        self._marc: dict[str, bytes] = {}

    def earliest_datestamp(self) -> float:
        # An empty catalogue has no datestamp yet; the epoch is a true lower bound.
        return self.catalog.harvest_info()["earliest_datestamp"] or 0.0

    def sets(self) -> list[tuple[str, str]]:
        return [tuple(s) for s in self.catalog.harvest_info()["sets"]]

    def _keep(self, record: dict | None) -> dict | None:
        if record and record.get("marcxml"):
            self._marc[record["id"]] = record.pop("marcxml").encode()
        return record

    def harvest(self, since, until, set, after, limit, marc=False) -> dict:
        params = {"since": since, "until": until, "set": set, "after": after, "limit": limit}
        try:
            page = self.catalog.harvest({**params, "marc": marc})
        except ValidationFailed as exc:
            raise _protocol_error(exc) from exc
        for record in page["records"]:
            self._keep(record)
        return page

    def get(self, id: str, marc: bool = False) -> dict | None:
        return self._keep(self.catalog.harvest_record(id, marc))

    def marcxml(self, title: dict) -> bytes:
        return self._marc[title["id"]]


def _protocol_error(exc: ValidationFailed) -> OAIError:
    """What the catalogue refuses, in the protocol's words: a set it does not know has
    no records; a cursor it did not give out is a bad resumption token."""
    fields = exc.details.get("fields") or {}
    if "set" in fields:
        return OAIError("noRecordsMatch", f"No records are in that set ({exc}).")
    if "cursor" in fields or "after" in fields:
        return OAIError("badResumptionToken", "The resumptionToken is invalid.")
    return OAIError("badArgument", str(exc))
