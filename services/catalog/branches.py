"""Branches of the library and their shelving locations."""

from __future__ import annotations

import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from chassis.context import Caller
from chassis.records import get_or_not_found
from chassis.schemas import load

from .contract import CODE, BranchInput, BranchOutput, LocationInput
from .models import Branch, Location, outbox

branch_input, branch_output, location_input = BranchInput(), BranchOutput(), LocationInput()


def _dump(session: Session, branch: Branch) -> dict:
    locations = session.scalars(
        select(Location).where(Location.branch_code == branch.code).order_by(Location.code)
    )
    return branch_output.dump(
        {
            "code": branch.code,
            "name": branch.name,
            "address": branch.address,
            "locations": [{"code": loc.code, "name": loc.name} for loc in locations],
        }
    )


def put_branch(session: Session, payload: dict, caller: Caller) -> dict:
    """Create or rename a branch (admins only)."""
    caller.require_role()
    data = load(branch_input, payload)
    branch = session.get(Branch, data["code"]) or Branch(code=data["code"])
    branch.name, branch.address, branch.updated_at = data["name"], data.get("address"), time.time()
    session.add(branch)
    session.flush()
    return _changed(session, branch)


def put_location(session: Session, branch_code: str, payload: dict, caller: Caller) -> dict:
    caller.require_branch(branch_code)
    branch = get_branch_row(session, branch_code)
    data = load(location_input, payload)
    location = session.get(Location, (branch.code, data["code"])) or Location(
        branch_code=branch.code, code=data["code"]
    )
    location.name = data["name"]
    session.add(location)
    session.flush()
    return _changed(session, branch)


def _changed(session: Session, branch: Branch) -> dict:
    """The branch as it now is, told to the services that keep branch codes."""
    dumped = _dump(session, branch)
    outbox.emit(session, "branch_updated", branch.code, dumped)
    return dumped


def get_branch_row(session: Session, code: str) -> Branch:
    fit = isinstance(code, str) and CODE.match(code)  # else no branch has it
    return get_or_not_found(
        session, Branch, code if fit else None, noun="branch", named=code, field="branch"
    )


def list_branches(session: Session) -> list[dict]:
    return [_dump(session, b) for b in session.scalars(select(Branch).order_by(Branch.code))]
