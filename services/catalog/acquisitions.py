"""Acquisitions: titles on order because readers suggested them (feedback's
`suggestion_approved`), until the title arrives and is catalogued."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from chassis.errors import field_error

from .contract import ACQUISITION_ID, TITLE_ID, AcquisitionOutput
from .models import Acquisition, outbox

acquisition_output = AcquisitionOutput()


def dump_acquisition(acq: Acquisition) -> dict:
    return acquisition_output.dump(
        {
            "id": acq.id,
            "suggestion_id": acq.suggestion_id,
            "title": acq.title,
            "authors": acq.authors,
            "isbn": acq.isbn,
            "branch": acq.branch_code,
            "status": acq.status,
            "title_id": TITLE_ID.format(acq.title_seq) if acq.title_seq else None,
        }
    )


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
    acq = _find(session, ref)
    acq.status, acq.title_seq = "received", seq
