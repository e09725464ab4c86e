"""What OAI-PMH harvesters see: every title, withdrawn ones included, in the order
they last changed, so a harvester can take everything once and then only changes.
Harvesters have no key: they see the public view of a title (public.py)."""

from __future__ import annotations

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from chassis.errors import field_error
from chassis.pagination import Bounds, Key, Keyset
from chassis.schemas import load

from . import dublin_core, marc
from .contract import MATERIAL_TYPES, HarvestQuery
from .models import Branch, Item, Title
from .public import public_view, with_public_holdings
from .titles import availability, dump_title, find_title

harvest_query = HarvestQuery()
# Titles in the order they last changed. The cursor holds the datestamp and seq of
# the last title served (t and s, as harvesters hold them): a time a datestamp can
# show (up to 9999-12-31T23:59:59Z) and a seq its column can hold.
CHANGES = Keyset(
    Key(Title.updated_at, Bounds((int, float), 0, 253_402_300_799), name="t"),
    Key(Title.seq, name="s"),
)
TYPE_NAMES = {
    "book": "Books",
    "magazine": "Magazines",
    "journal": "Journals",
    "ebook": "E-books",
    "database": "Online databases",
    "audiovisual": "Audiovisual materials",
}


def sets(session: Session) -> list[list[str]]:
    branches = session.execute(select(Branch.code, Branch.name).order_by(Branch.code)).all()
    return [[f"branch:{code}", name] for code, name in branches] + [
        [f"type:{t}", TYPE_NAMES[t]] for t in MATERIAL_TYPES
    ]


def earliest_datestamp(session: Session) -> float | None:
    return session.scalar(select(func.min(Title.updated_at)))


def _set_condition(spec: str):
    kind, _, value = spec.partition(":")
    if kind == "type" and value in MATERIAL_TYPES:
        return Title.material_type == value
    if kind == "branch" and value:
        return exists().where(Item.title_seq == Title.seq, Item.branch_code == value)
    raise field_error("set", f"No set {spec!r}.")


def _records(session: Session, titles: list[Title], with_marc: bool = False) -> list[dict]:
    copies = availability(session, [t.seq for t in titles])
    out = []
    for t in titles:
        deleted = t.withdrawn_at is not None
        branches = [c["branch"] for c in copies[t.seq]]
        title = None if deleted else public_view(dump_title(t, copies[t.seq]))
        out.append(
            {
                "id": t.id,
                "datestamp": t.updated_at,
                "deleted": deleted,
                "sets": [f"type:{t.material_type}"] + [f"branch:{b}" for b in branches],
                "title": title,
                "dc": None if deleted else dublin_core.elements(title),
            }
        )
    if with_marc:  # with their holdings, which a union catalogue harvests for
        shown = [r for r in out if not r["deleted"]]
        held = with_public_holdings(session, [r["title"] for r in shown])
        for record, title in zip(shown, held, strict=True):
            record["marcxml"] = marc.title_to_marcxml_record(title).decode()
    return out


def harvest(session: Session, params: dict) -> dict:
    query = load(harvest_query, params)
    where = []
    if query.get("since") is not None:
        where.append(Title.updated_at >= query["since"])
    if query.get("until") is not None:
        where.append(Title.updated_at <= query["until"])
    if query.get("set"):
        where.append(_set_condition(query["set"]))
    total = session.scalar(select(func.count()).select_from(Title).where(*where))
    rows, cursor = CHANGES.fetch(
        session, select(Title).where(*where), query["limit"], query.get("after")
    )
    return {"records": _records(session, rows, query["marc"]), "next": cursor, "total": total}


def get_record(session: Session, public_id: str, with_marc: bool = False) -> dict | None:
    title = find_title(session, public_id)
    return _records(session, [title], with_marc)[0] if title is not None else None
