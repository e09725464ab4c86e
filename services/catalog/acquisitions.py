"""Acquisitions: titles on order because readers suggested them (feedback's
`suggestion_approved`), until the title arrives and is catalogued. A branch lists its
own (list_acquisitions) to find the id the title it received must cite."""

from __future__ import annotations

import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from chassis.context import Caller
from chassis.errors import field_error
from chassis.pagination import Keyset
from chassis.schemas import load
from chassis.times import iso_time, iso_time_or_none

from .contract import ACQUISITION_ID, TITLE_ID, AcquisitionQuery
from .models import Acquisition, outbox

acquisition_query = AcquisitionQuery()
NEWEST = Keyset(Acquisition.seq, descending=True)


def dump_acquisition(acq: Acquisition) -> dict:
    return {
        "id": acq.id,
        "suggestion_id": acq.suggestion_id,
        "title": acq.title,
        "authors": list(acq.authors or []),
        "isbn": acq.isbn,
        "branch": acq.branch_code,
        "status": acq.status,
        "title_id": TITLE_ID.format(acq.title_seq) if acq.title_seq else None,
        "ordered_at": iso_time(acq.created_at),
        "received_at": iso_time_or_none(acq.received_at),
    }


def list_acquisitions(session: Session, params: dict, caller: Caller) -> dict:
    """A branch key sees its own branch's acquisitions, naming another is a 403;
    headquarters sees all, or one branch's."""
    caller.require_role("branch")
    query = load(acquisition_query, params)
    branch = caller.branch_seen(query.get("branch"))
    stmt = select(Acquisition)
    if branch:
        stmt = stmt.where(Acquisition.branch_code == branch)
    if query.get("status"):
        stmt = stmt.where(Acquisition.status == query["status"])
    rows, cursor = NEWEST.fetch(session, stmt, query["limit"], query.get("cursor"))
    return {"items": [dump_acquisition(a) for a in rows], "next_cursor": cursor}


def order_from_suggestion(session: Session, data: dict) -> dict:
    """Record the acquisition an approved suggestion asks for (its data as the
    contract's SuggestionApproved reads it); the same suggestion again gives back the
    acquisition already made."""
    suggestion_id = data["suggestion_id"]
    existing = session.scalar(select(Acquisition).where(Acquisition.suggestion_id == suggestion_id))
    if existing is not None:
        return dump_acquisition(existing)
    acq = Acquisition(
        suggestion_id=suggestion_id,
        title=data["title"],
        authors=data.get("authors") or [],
        isbn=data.get("isbn"),
        branch_code=data.get("branch"),
    )
    session.add(acq)
    session.flush()
    dumped = dump_acquisition(acq)
    outbox.emit(session, "acquisition_ordered", acq.id, dumped)
    return dumped


def _find(session: Session, ref: str) -> Acquisition | None:
    seq = ACQUISITION_ID.parse(ref)
    return session.get(Acquisition, seq) if seq is not None else None


def check_ref(session: Session, ref: str) -> None:
    acq = _find(session, ref)
    if acq is None:
        raise field_error("acquisition_ref", f"No acquisition {ref!r}.")


def receive(session: Session, ref: str, seq: int) -> None:
    """The title ordered as `ref` is catalogued (as title `seq`)."""
    acq = _find(session, ref)
    acq.status, acq.title_seq, acq.received_at = "received", seq, time.time()
    outbox.emit(session, "acquisition_received", acq.id, dump_acquisition(acq))


def shelve(session: Session, ref: str, copy: dict) -> None:
    """A copy (as dump_item gives it) of the title ordered as `ref` is at its branch."""
    shelved = {k: copy[k] for k in ("title_id", "branch", "barcode")}
    shelved["shelved_at"] = copy["created_at"]
    outbox.emit(session, "acquisition_shelved", ref, {"id": ref, **shelved})
