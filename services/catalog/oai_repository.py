"""The catalogue as the OAI-PMH provider (oai_pmh.py) asks for it: its harvest
(harvest.py) over one read session, for one request."""

from __future__ import annotations

from sqlalchemy.orm import Session

from chassis.errors import ValidationFailed

from . import harvest
from .oai_pmh import OAIError


class CatalogRepository:
    """MARCXML comes with the records (the catalogue owns the MARC mapping) and is
    kept here until the page is written."""

    def __init__(self, session: Session):
        self.session = session
        self._marc: dict[str, bytes] = {}

    def earliest_datestamp(self) -> float:
        # An empty catalogue has no datestamp yet; the epoch is a true lower bound.
        return harvest.earliest_datestamp(self.session) or 0.0

    def sets(self) -> list[tuple[str, str]]:
        return [tuple(s) for s in harvest.sets(self.session)]

    def _keep(self, record: dict | None) -> dict | None:
        if record and record.get("marcxml"):
            self._marc[record["id"]] = record.pop("marcxml").encode()
        return record

    def harvest(self, since, until, set, after, limit, marc=False) -> dict:
        params = {"since": since, "until": until, "set": set, "after": after, "limit": limit}
        try:
            page = harvest.harvest(self.session, {**params, "marc": marc})
        except ValidationFailed as exc:
            raise protocol_error(exc) from exc
        for record in page["records"]:
            self._keep(record)
        return page

    def get(self, id: str, marc: bool = False) -> dict | None:
        return self._keep(harvest.get_record(self.session, id, marc))

    def marcxml(self, title: dict) -> bytes:
        return self._marc[title["id"]]


def protocol_error(exc: ValidationFailed) -> OAIError:
    """What the catalogue refuses, in the protocol's words: a set it does not know has
    no records; a cursor it did not give out is a bad resumption token."""
    fields = exc.details.get("fields") or {}
    if "set" in fields:
        return OAIError("noRecordsMatch", f"No records are in that set ({exc}).")
    if "cursor" in fields or "after" in fields:
        return OAIError("badResumptionToken", "The resumptionToken is invalid.")
    return OAIError("badArgument", str(exc))
