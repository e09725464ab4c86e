"""The read model of the catalogue's branches, kept from its branch_updated events:
tickets, suggestions and campaigns name a branch that is in it."""

from __future__ import annotations

import time

from sqlalchemy.orm import Session

from services.chassis.errors import field_error

from .contract import BRANCH_CODE
from .models import Branch


def branch_seen(session: Session, data: dict) -> None:
    branch = session.get(Branch, data["code"]) or Branch(code=data["code"])
    branch.name, branch.updated_at = data["name"], time.time()
    session.add(branch)


def require_branch(session: Session, code: str, field: str = "branch") -> Branch:
    branch = session.get(Branch, code) if BRANCH_CODE.match(code or "") else None
    if branch is None:
        raise field_error(field, f"No branch {code!r}.")
    return branch
