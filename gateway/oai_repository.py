"""The catalogue, as the OAI-PMH module asks for it, over RPC."""

from __future__ import annotations


class CatalogRepository:
    """One per request. MARCXML comes from the catalogue with the records (it owns
    the MARC mapping), and is kept here until the page is written."""

    def __init__(self, call):
        self.call = call
        self._info: dict | None = None
        self._marc: dict[str, bytes] = {}

    def _harvest_info(self) -> dict:
        if self._info is None:
            self._info = self.call("catalog", "harvest_info")
        return self._info

    def earliest_datestamp(self) -> float:
        # An empty catalogue has no datestamp yet; the epoch is a true lower bound.
        return self._harvest_info()["earliest_datestamp"] or 0.0

    def sets(self) -> list[tuple[str, str]]:
        return [tuple(s) for s in self._harvest_info()["sets"]]

    def _keep(self, record: dict | None) -> dict | None:
        if record and record.get("marcxml"):
            self._marc[record["id"]] = record.pop("marcxml").encode()
        return record

    def harvest(self, since, until, set, after, limit) -> dict:
        params = {"since": since, "until": until, "set": set, "after": after, "limit": limit}
        page = self.call("catalog", "harvest", {**params, "marc": True})
        for record in page["records"]:
            self._keep(record)
        return page

    def get(self, id: str) -> dict | None:
        return self._keep(self.call("catalog", "harvest_record", id, True))

    def marcxml(self, title: dict) -> bytes:
        return self._marc[title["id"]]
