"""The catalogue as the public sees it (the public pages, SRU, the arrivals feed):
a title without the fields only staff need, its copies one by one with their
branch's and location's names, and the titles whose copies came in last.

Staff-only: the acquisition a title fulfilled (`acquisition_ref`, which leads to a
reader's suggestion) and a copy's note (a librarian's remark: damage, who has it
in repair). Every public answer is made through `public_view`, so a field added to
titles later stays inside until it is named public here."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chassis.errors import NotFound
from chassis.schemas import load
from chassis.times import iso_time

from .contract import TITLE_ID, ArrivalsQuery, PublicTitle
from .items import with_held_copies
from .models import Branch, Item, Location, Title
from .titles import dump_titles

STAFF_ONLY = frozenset({"acquisition_ref"})
PUBLIC_FIELDS = frozenset(PublicTitle().fields) - {"copies"}
arrivals_query = ArrivalsQuery()


def public_view(title: dict) -> dict:
    """A dumped title with only what the public may read."""
    return {k: v for k, v in title.items() if k in PUBLIC_FIELDS and k not in STAFF_ONLY}


def with_public_holdings(session: Session, titles: list[dict]) -> list[dict]:
    """Public titles with the copies a MARC record lists as holdings (852), without
    the librarians' notes: for SRU's and OAI-PMH's MARCXML."""
    held = with_held_copies(session, titles)
    for title in held:
        title["copies"] = [{**copy, "note": None} for copy in title["copies"]]
    return held


def _shown_title(session: Session, public_id) -> Title:
    """The title, unless it is withdrawn or no title: the public page of either is 'not
    found' alike."""
    seq = TITLE_ID.parse(public_id)
    title = session.get(Title, seq) if seq is not None else None
    if title is None or title.withdrawn_at is not None:
        raise NotFound(f"No title {public_id!r}.", {"id": public_id})
    return title


def public_title(session: Session, public_id) -> dict:
    """A title's public record, with each copy (withdrawn ones left out): its branch
    and location by name, its status."""
    title = _shown_title(session, public_id)
    rows = session.execute(
        select(Item.branch_code, Branch.name, Item.location_code, Location.name, Item.status)
        .join(Branch, Branch.code == Item.branch_code)
        .outerjoin(
            Location,
            (Location.branch_code == Item.branch_code) & (Location.code == Item.location_code),
        )
        .where(Item.title_seq == title.seq, Item.status != "withdrawn")
        .order_by(Branch.name, Item.location_code, Item.barcode)
    ).all()
    copies = [
        {
            "branch": branch,
            "branch_name": branch_name,
            "location": location,
            "location_name": location_name,
            "status": status,
        }
        for branch, branch_name, location, location_name, status in rows
    ]
    return {**public_view(dump_titles(session, [title])[0]), "copies": copies}


def new_arrivals(session: Session, params: dict) -> dict:
    """The titles whose copies came in last, at one branch or any: each once, by its
    newest copy there, newest first (withdrawn titles and copies left out)."""
    query = load(arrivals_query, params)
    newest = func.max(Item.created_at).label("arrived_at")
    wanted = select(Item.title_seq, newest).where(Item.status != "withdrawn")
    if "branch" in query:
        wanted = wanted.where(Item.branch_code == query["branch"])
    rows = session.execute(
        wanted.group_by(Item.title_seq).order_by(newest.desc(), Item.title_seq.desc())
        .limit(query["limit"])
    ).all()  # fmt: skip
    titles = {
        t.seq: t
        for t in session.scalars(
            select(Title).where(
                Title.seq.in_([seq for seq, _ in rows]), Title.withdrawn_at.is_(None)
            )
        )
    }
    shown = [row for row in rows if row[0] in titles]
    dumped = dump_titles(session, [titles[seq] for seq, _ in shown])
    return {
        "items": [
            {**public_view(title), "arrived_at": iso_time(at)}
            for title, (_, at) in zip(dumped, shown, strict=True)
        ]
    }
