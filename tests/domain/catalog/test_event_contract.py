"""Every event the catalogue emits is in its published contract: its type is in
contract (and so in the AsyncAPI document), and its data validates against
the schema there. Run on SQLite and PostgreSQL."""

import json

from sqlalchemy import select

from chassis.context import SYSTEM
from chassis.envelope import REQUIRED, major_version
from gateway.edge.asyncapi import build_asyncapi
from services.catalog import acquisitions, branches, items, titles
from services.catalog.contract import CONTRACT
from services.catalog.models import outbox_table


def test_every_emitted_event_matches_its_documented_schema(catalog_db):
    with catalog_db.transaction() as s:
        branches.put_branch(s, {"code": "SPN", "name": "Pusat"}, SYSTEM)
        acq = acquisitions.order_from_suggestion(s, {"suggestion_id": "S1", "title": "Buku"})
        t = titles.create_title(s, {"title": "Buku", "acquisition_ref": acq["id"]}, SYSTEM)
        items.add_item(s, t["id"], {"barcode": "SPN-0001", "branch": "SPN"}, SYSTEM)
        items.change_status(s, "SPN-0001", {"status": "on_loan"}, SYSTEM)
        titles.update_title(s, t["id"], {"title": "Buku baru"}, SYSTEM)
        titles.withdraw_title(s, t["id"], SYSTEM)
    with catalog_db.reading() as s:
        envelopes = [json.loads(e) for e in s.scalars(select(outbox_table.c.envelope))]

    documented = build_asyncapi((("catalog", "services.catalog.contract"),))["channels"]
    seen = set()
    for envelope in envelopes:
        event_type = envelope["type"].split(".", 1)[1]
        seen.add(event_type)
        assert set(REQUIRED) <= set(envelope)
        assert major_version(envelope) == 1
        channel = documented[f"catalog.events/{event_type}"]
        payload = channel["subscribe"]["message"]["payload"]["properties"]
        assert payload["dataschema"]["const"] == envelope["dataschema"]  # its version
        errors = CONTRACT.event(event_type).schema().validate(envelope["data"])
        assert errors == {}, (event_type, errors)
    assert seen == {e.type for e in CONTRACT.events}  # and every documented event is really emitted
