"""The catalogue service: thin nameko entrypoints over `titles`."""

from __future__ import annotations

from services.chassis.db import Database
from services.chassis.outbox import OutboxRelay
from services.chassis.service import ServiceBase, rpc

from . import titles
from .models import Base


class CatalogService(ServiceBase):
    name = "catalog"

    db = Database(Base)
    relay = OutboxRelay()

    @rpc
    def create_title(self, payload: dict) -> dict:
        with self.db.transaction() as session:
            return titles.create_title(session, payload, self.caller)

    @rpc
    def get_title(self, title_id: str) -> dict:
        with self.db.reading() as session:
            return titles.get_title(session, title_id)

    @rpc
    def search_titles(self, params: dict) -> dict:
        with self.db.reading() as session:
            return titles.search_titles(session, params)
