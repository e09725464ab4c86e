"""The catalogue service: thin nameko entrypoints over the domain modules."""

from __future__ import annotations

import base64

from services.chassis.errors import field_error
from services.chassis.nameko.database import Database
from services.chassis.nameko.handlers import event_handler
from services.chassis.nameko.service import ServiceBase, rpc

from . import acquisitions, branches, exchange, harvest, items, titles
from .contract import CONTRACT
from .models import Base


class CatalogService(ServiceBase):
    name = "catalog"

    db = Database(Base)

    # -- titles -----------------------------------------------------------------
    @rpc
    def create_title(self, payload: dict) -> dict:
        with self.db.transaction() as session:
            return titles.create_title(session, payload, self.caller)

    @rpc
    def update_title(self, title_id: str, payload: dict) -> dict:
        with self.db.transaction() as session:
            return titles.update_title(session, title_id, payload, self.caller)

    @rpc
    def withdraw_title(self, title_id: str) -> dict:
        with self.db.transaction() as session:
            return titles.withdraw_title(session, title_id, self.caller)

    @rpc
    def get_title(self, title_id: str) -> dict:
        with self.db.reading() as session:
            return titles.get_title(session, title_id)

    @rpc
    def search_titles(self, params: dict) -> dict:
        with self.db.reading() as session:
            return titles.search_titles(session, params)

    # -- copies and branches ------------------------------------------------------
    @rpc
    def add_item(self, title_id: str, payload: dict) -> dict:
        with self.db.transaction() as session:
            return items.add_item(session, title_id, payload, self.caller)

    @rpc
    def change_item_status(self, barcode: str, payload: dict) -> dict:
        with self.db.transaction() as session:
            return items.change_status(session, barcode, payload, self.caller)

    @rpc
    def get_item(self, barcode: str) -> dict:
        with self.db.reading() as session:
            return items.get_item(session, barcode)

    @rpc
    def put_branch(self, payload: dict) -> dict:
        with self.db.transaction() as session:
            return branches.put_branch(session, payload, self.caller)

    @rpc
    def put_location(self, branch_code: str, payload: dict) -> dict:
        with self.db.transaction() as session:
            return branches.put_location(session, branch_code, payload, self.caller)

    @rpc
    def list_branches(self) -> list:
        with self.db.reading() as session:
            return branches.list_branches(session)

    # -- harvesting (OAI-PMH at the gateway) -------------------------------------------
    @rpc
    def harvest(self, params: dict) -> dict:
        with self.db.reading() as session:
            return harvest.harvest(session, params)

    @rpc
    def harvest_record(self, title_id: str, with_marc: bool = False) -> dict | None:
        with self.db.reading() as session:
            return harvest.get_record(session, title_id, with_marc)

    @rpc
    def harvest_info(self) -> dict:
        with self.db.reading() as session:
            return {
                "earliest_datestamp": harvest.earliest_datestamp(session),
                "sets": harvest.sets(session),
            }

    # -- MARC -----------------------------------------------------------------------------
    @rpc
    def import_marc(self, data_base64: str) -> dict:
        """Import a MARC21 or MARCXML file; each batch of records commits on its own."""
        try:
            data = base64.b64decode(data_base64, validate=True)
        except (ValueError, TypeError) as exc:
            raise field_error("file", f"The file is not base64 ({exc}).") from exc
        return exchange.import_marc(self.db.transaction, data, self.caller).as_dict()

    @rpc
    def export_title_marcxml(self, title_id: str) -> str:
        with self.db.reading() as session:
            return exchange.export_title(session, title_id)

    @rpc
    def export_search_marcxml(self, params: dict) -> str:
        with self.db.reading() as session:
            return exchange.export_search(session, params)

    # -- what other services tell us -------------------------------------------------
    @event_handler(CONTRACT.consumed("feedback", "suggestion_approved"))
    def on_suggestion_approved(self, event: dict) -> None:
        self.db.apply_once(event, acquisitions.order_from_suggestion, event["data"])
