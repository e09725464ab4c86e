"""Items: the copies of a title, each at one branch. A branch key adds and changes
copies only at its own branch."""

from __future__ import annotations

import time
from types import SimpleNamespace

from sqlalchemy import Boolean, bindparam, exists, literal_column, select, update
from sqlalchemy.orm import Session

from chassis.context import Caller
from chassis.db import insert_at_end
from chassis.errors import Conflict, NotFound, field_error
from chassis.pagination import Bounds, Key, Keyset
from chassis.records import not_found, read_or_not_found
from chassis.schemas import load
from chassis.times import iso_time

from . import acquisitions
from .contract import BARCODE, TITLE_ID, ItemInput, ItemQuery, ItemStatusInput
from .models import Branch, Item, Location, Title, outbox
from .titles import reindex_copy

item_input, item_status_input, item_query = ItemInput(), ItemStatusInput(), ItemQuery()
# By barcode, the copy's own key: a cursor holds the last one served (any string a
# barcode column can be compared with; the query binds it as a value).
BY_BARCODE = Keyset(Key(Item.barcode, Bounds(str, "", "~" * 33)))
# What a new copy must be checked against, read in one round trip with its title:
# whether its branch and its location exist, which title holds its barcode already,
# and whether the title has an available copy at that branch already (then a new
# one changes nothing search indexes). The title's row is locked, as a change of a
# copy locks it: copies added at two branches at once each find the other's branch
# in its search document.
COPY_CHECKS = (
    select(
        Title,
        exists().where(Branch.code == bindparam("branch")),
        exists().where(
            Location.branch_code == bindparam("branch"), Location.code == bindparam("location")
        ),
        select(Item.title_seq).where(Item.barcode == bindparam("barcode")).scalar_subquery(),
        exists().where(
            Item.title_seq == bindparam("seq"),
            Item.branch_code == bindparam("branch"),
            Item.status == "available",
        ),
    )
    .where(Title.seq == bindparam("seq"))
    .with_for_update(of=Title)
)

# A copy to change, with its title's search document: both rows locked, the title's
# first (as a withdrawal takes them), so that changes of one title's copies are made
# one after the other (PostgreSQL; SQLite's writers wait anyway).
COPY_TO_CHANGE = (
    select(Item.__table__, Title.search_doc)
    .select_from(Title.__table__.join(Item.__table__, Item.title_seq == Title.seq))
    .where(Item.barcode == bindparam("barcode"))
    .with_for_update()
)
# The change, and whether another copy of the title is available at the copy's
# branch: asked in the same statement, so after the locks above (on PostgreSQL a
# statement sees what committed before it began). Written out, as SQLAlchemy's
# SQLite dialect would drop the table names from a subquery in RETURNING.
OTHERS_AVAILABLE = literal_column(
    "EXISTS (SELECT 1 FROM items AS other WHERE other.title_seq = items.title_seq"
    " AND other.branch_code = items.branch_code AND other.status = 'available'"
    " AND other.barcode <> items.barcode)",
    Boolean,
)
CHANGE_COPY = (
    update(Item.__table__)
    .where(Item.barcode == bindparam("copy"))
    .values(status=bindparam("status"), note=bindparam("note"), updated_at=bindparam("at"))
    .returning(OTHERS_AVAILABLE)
)


def dump_item(item: Item) -> dict:
    """The ItemOutput shape, built directly as dump_title is: an import dumps every copy."""
    return {
        "barcode": item.barcode,
        "title_id": TITLE_ID.format(item.title_seq),
        "branch": item.branch_code,
        "location": item.location_code,
        "status": item.status,
        "note": item.note,
        "updated_at": iso_time(item.updated_at),
        "created_at": iso_time(item.created_at),
    }


def add_item(session: Session, public_title_id: str, payload: dict, caller: Caller) -> dict:
    data = load(item_input, payload)
    caller.require_branch(data["branch"])
    location = data.get("location")
    seq = TITLE_ID.parse(public_title_id)
    found = None
    if seq is not None:
        at = {
            "seq": seq,
            "branch": data["branch"],
            "location": location,
            "barcode": data["barcode"],
        }
        found = session.execute(COPY_CHECKS, at).first()
    if found is None:
        raise NotFound(f"No title {public_title_id!r} to add a copy to.", {"id": public_title_id})
    title, branch_known, location_known, owner_seq, available_there = found
    if title.withdrawn_at is not None:
        raise Conflict(f"{title.id} is withdrawn; it takes no new copies.", {"id": title.id})
    if not branch_known:
        raise field_error("branch", f"No branch {data['branch']!r}.")
    if location and not location_known:
        raise field_error("location", f"Branch {data['branch']} has no location {location!r}.")
    if owner_seq is not None:
        owner = TITLE_ID.format(owner_seq)
        raise Conflict(
            f"Barcode {data['barcode']} is already a copy of {owner}.",
            {"barcode": data["barcode"], "existing_title_id": owner},
        )
    now = time.time()
    row = {
        "barcode": data["barcode"],
        "title_seq": title.seq,
        "branch_code": data["branch"],
        "location_code": location,
        "status": data["status"],
        "note": data.get("note"),
        "created_at": now,
        "updated_at": now,
    }
    insert_at_end(session, Item.__table__, [row])  # with its event
    item = Item(**row)
    if item.status == "available" and not available_there:
        # Its branch joins those search finds the title available at.
        document = reindex_copy(session, title.seq, title.search_doc, item.branch_code, True)
        title.search_doc = document
    title.updated_at = now  # its holdings and branch sets changed: harvesters take it again
    dumped = dump_item(item)
    added = {**dumped, "acquisition_ref": title.acquisition_ref}
    outbox.emit(session, "item_added", item.barcode, added)
    if title.acquisition_ref:  # a suggestion's way to the shelf
        acquisitions.shelve(session, title.acquisition_ref, dumped)
    return dumped


def list_items(session: Session, params: dict, caller: Caller) -> dict:
    """Every copy, withdrawn ones too, with its status and when it was added: a branch
    key its own branch's (naming another is a 403), headquarters all or one branch's."""
    caller.require_role("branch")
    query = load(item_query, params)
    stmt = select(Item)
    branch = caller.branch_seen(query.get("branch"))
    if branch:
        stmt = stmt.where(Item.branch_code == branch)
    if query.get("status"):
        stmt = stmt.where(Item.status == query["status"])
    rows, cursor = BY_BARCODE.fetch(session, stmt, query["limit"], query.get("cursor"))
    return {"items": [dump_item(i) for i in rows], "next_cursor": cursor}


def with_held_copies(session: Session, titles: list[dict]) -> list[dict]:
    """Dumped titles with their copies but withdrawn ones, by barcode: what a MARC
    record lists as holdings (852), in an export and in an OAI-PMH harvest."""
    seqs = [TITLE_ID.parse(t["id"]) for t in titles]
    rows = session.scalars(
        select(Item)
        .where(Item.title_seq.in_(seqs), Item.status != "withdrawn")
        .order_by(Item.title_seq, Item.barcode)
    )
    held: dict[int, list[dict]] = {seq: [] for seq in seqs}
    for item in rows:
        held[item.title_seq].append(
            {
                "barcode": item.barcode,
                "branch": item.branch_code,
                "location": item.location_code,
                "note": item.note,
            }
        )
    return [{**t, "copies": held[seq]} for t, seq in zip(titles, seqs, strict=True)]


def _holding(item: Item) -> tuple | None:
    """What a MARC holding shows of a copy: nothing once it is withdrawn."""
    return None if item.status == "withdrawn" else (item.branch_code, item.note)


def get_item(session: Session, barcode: str) -> dict:
    found = read_or_not_found(
        session, Item, _barcode(barcode), noun="item", named=barcode, field="barcode"
    )
    return dump_item(found)


def _barcode(named) -> str | None:
    """`named` if it is a barcode's spelling, else None: no copy has it."""
    return named if isinstance(named, str) and BARCODE.match(named) else None


def change_status(session: Session, barcode: str, payload: dict, caller: Caller) -> dict:
    data = load(item_status_input, payload)
    found = None
    if _barcode(barcode) is not None:
        found = session.execute(COPY_TO_CHANGE, {"barcode": barcode}).first()
    if found is None:
        raise not_found("item", barcode, "barcode")
    caller.require_branch(found.branch_code)
    if found.status == data["status"] and found.note == data.get("note"):
        return dump_item(found)
    item = SimpleNamespace(**found._mapping)
    previous, held = item.status, _holding(item)
    item.status, item.note, item.updated_at = data["status"], data.get("note"), time.time()
    at = {"copy": item.barcode, "status": item.status, "note": item.note, "at": item.updated_at}
    others_available = session.execute(CHANGE_COPY, at).scalar_one()
    available = item.status == "available" or bool(others_available)
    document = reindex_copy(session, item.title_seq, item.search_doc, item.branch_code, available)
    title = {}
    if document != item.search_doc:
        title["search_doc"] = document
    if _holding(item) != held:  # a loan leaves the record as it was; a withdrawal does not
        title["updated_at"] = item.updated_at
    if title:
        session.execute(update(Title).where(Title.seq == item.title_seq).values(**title))
    dumped = dump_item(item)
    outbox.emit(
        session,
        "item_status_changed",
        item.barcode,
        {**dumped, "previous_status": previous},
    )
    return dumped
