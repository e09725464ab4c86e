"""The catalogue service: thin nameko entrypoints over the domain modules. A `@write`
gets a transaction answered once per request, a `@read` a read-only one, a `@read_one`
its one statement (a title, a copy: no transaction on PostgreSQL)."""

from __future__ import annotations

import base64

from chassis.errors import field_error
from chassis.nameko.background import Background
from chassis.nameko.database import Database
from chassis.nameko.handlers import event_handler
from chassis.nameko.service import ServiceBase, read, read_one, rpc, write

from . import (
    acquisitions,
    branches,
    citations,
    exchange,
    items,
    oai_pmh,
    postings,
    public,
    sru,
    titles,
)
from .contract import CONTRACT
from .models import Base
from .oai_repository import CatalogRepository


class PendingPostings(Background):
    identifier = "search-pending"
    wakes_on = frozenset({"search_pending"})


def folder(config: dict, database) -> postings.Folder:
    return postings.Folder(database.transaction)


class CatalogService(ServiceBase):
    name = "catalog"

    db = Database(Base)
    # Folds the search index's pending rows into its bitmaps (postings.py).
    folding = PendingPostings(folder)

    # -- titles -----------------------------------------------------------------
    @write
    def create_title(self, session, payload: dict) -> dict:
        return titles.create_title(session, payload, self.caller)

    @write
    def update_title(self, session, title_id: str, payload: dict) -> dict:
        return titles.update_title(session, title_id, payload, self.caller)

    @write
    def withdraw_title(self, session, title_id: str) -> dict:
        return titles.withdraw_title(session, title_id, self.caller)

    @read_one
    def get_title(self, reader, title_id: str) -> dict:
        return titles.get_title(reader, title_id)

    @read
    def search_titles(self, session, params: dict) -> dict:
        return titles.search_titles(session, params)

    # -- the public catalogue -------------------------------------------------------
    @read
    def public_title(self, session, title_id: str) -> dict:
        return public.public_title(session, title_id)

    @read
    def new_arrivals(self, session, params: dict) -> dict:
        return public.new_arrivals(session, params)

    @read
    def cite_title(self, session, title_id: str, format: str) -> str:
        return citations.cite_title(session, title_id, format)

    # -- copies and branches ------------------------------------------------------
    @write
    def add_item(self, session, title_id: str, payload: dict) -> dict:
        return items.add_item(session, title_id, payload, self.caller)

    @write
    def change_item_status(self, session, barcode: str, payload: dict) -> dict:
        return items.change_status(session, barcode, payload, self.caller)

    @read_one
    def get_item(self, reader, barcode: str) -> dict:
        return items.get_item(reader, barcode)

    @read
    def list_items(self, session, params: dict) -> dict:
        return items.list_items(session, params, self.caller)

    @write
    def put_branch(self, session, payload: dict) -> dict:
        return branches.put_branch(session, payload, self.caller)

    @write
    def put_location(self, session, branch_code: str, payload: dict) -> dict:
        return branches.put_location(session, branch_code, payload, self.caller)

    @read
    def list_branches(self, session) -> list:
        return branches.list_branches(session)

    # -- acquisitions -------------------------------------------------------------------
    @read
    def list_acquisitions(self, session, params: dict) -> dict:
        return acquisitions.list_acquisitions(session, params, self.caller)

    # -- harvesting -------------------------------------------------------------------
    @read
    def oai(self, session, args: dict, base_url: str) -> str:
        """One OAI-PMH request (its arguments, {name: [values]}) answered as XML:
        the protocol is the catalogue's, the gateway only carries it."""
        repository = CatalogRepository(session)
        admin = self.config["OAI_ADMIN_EMAIL"]
        return oai_pmh.handle(args, repository, base_url, admin_email=admin)[1].decode()

    @read
    def sru(self, session, args: dict, base_url: str) -> str:
        """One SRU 1.2 request answered as XML (sru.py), as `oai` is."""
        return sru.handle(session, args, base_url)

    # -- MARC -----------------------------------------------------------------------------
    @rpc
    def import_marc(self, data_base64: str) -> dict:
        """Import a MARC21 or MARCXML file; each batch of records commits on its own
        (so not once per request: an import again finds its records and adds nothing)."""
        try:
            data = base64.b64decode(data_base64, validate=True)
        except (ValueError, TypeError) as exc:
            raise field_error("file", f"The file is not base64 ({exc}).") from exc
        return exchange.import_marc(self.db.transaction, data, self.caller).as_dict()

    @read
    def export_title_marcxml(self, session, title_id: str) -> str:
        return exchange.export_title(session, title_id)

    @read
    def export_search_marcxml(self, session, params: dict) -> str:
        return exchange.export_search(session, params)

    # -- what other services tell us -------------------------------------------------
    @event_handler(CONTRACT.consumed("feedback", "suggestion_approved"))
    def on_suggestion_approved(self, event: dict) -> None:
        if event["data"]["kind"] == "collection":
            self.db.apply_once(event, acquisitions.order_from_suggestion, event["data"])
