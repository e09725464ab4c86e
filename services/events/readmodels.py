"""The read models of what other services own, kept from their events: the
catalogue's branches (branch_updated) and the people service's staff
(staff_registered, staff_changed). Programmes name a branch and a presenter that
are in them, checked here, never by a call to another service."""

from __future__ import annotations

import time

from sqlalchemy.orm import Session

from services.chassis.errors import field_error

from .contract import BRANCH_CODE
from .models import Branch, Staff


def branch_seen(session: Session, data: dict) -> None:
    """A branch as the catalogue now tells it (new, or renamed)."""
    branch = session.get(Branch, data["code"]) or Branch(code=data["code"])
    branch.name, branch.updated_at = data["name"], time.time()
    session.add(branch)


def staff_seen(session: Session, data: dict) -> None:
    """A member of staff as the people service now tells it (only what presenting needs)."""
    staff = session.get(Staff, data["id"]) or Staff(id=data["id"])
    staff.name, staff.branch_code, staff.active = data["name"], data["branch"], data["active"]
    staff.updated_at = time.time()
    session.add(staff)


def require_branch(session: Session, code: str, field: str = "branch") -> Branch:
    branch = session.get(Branch, code) if BRANCH_CODE.match(code or "") else None
    if branch is None:
        raise field_error(field, f"No branch {code!r}.")
    return branch


def require_presenter(session: Session, staff_id: str, field: str) -> Staff:
    staff = session.get(Staff, staff_id) if isinstance(staff_id, str) else None
    if staff is None:
        raise field_error(field, f"No member of staff {staff_id!r}.")
    if not staff.active:
        raise field_error(field, f"{staff_id} is no longer active.")
    return staff
