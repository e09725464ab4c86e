"""The read models of others' records: the people service's staff, kept from its
events (staff_registered, staff_changed), and the catalogue's branches (kept by the
chassis' read model, models.branches, from branch_updated). Programmes name a
presenter and a branch that are in them, checked here, never by a call to another
service; the pages list the branches from here, never from a copied list."""

from __future__ import annotations

import time

from sqlalchemy.orm import Session

from chassis.bulk import upsert_rows
from chassis.errors import field_error

from .models import Staff, branches


def staff_seen(session: Session, data: dict) -> None:
    """A member of staff as the people service now tells it (only what presenting
    needs), in one statement."""
    row = {
        "id": data["id"],
        "name": data["name"],
        "branch_code": data["branch"],
        "active": data["active"],
        "updated_at": time.time(),
    }
    upsert_rows(session, Staff.__table__, [row])


def staff_told(session: Session, events: list[dict]) -> None:
    """The staff events of a group (the service's grouped handlers), in order."""
    for event in events:
        staff_seen(session, event["data"])


def require_presenter(session: Session, staff_id: str, field: str) -> Staff:
    staff = session.get(Staff, staff_id) if isinstance(staff_id, str) else None
    if staff is None:
        raise field_error(field, f"No member of staff {staff_id!r}.")
    if not staff.active:
        raise field_error(field, f"{staff_id} is no longer active.")
    return staff


def list_branches(session: Session) -> dict:
    """Every branch the catalogue has told of, by code: where programmes may be held."""
    return branches.listed(session)
