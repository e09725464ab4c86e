"""The catalogue's branches as the other services keep them: a read model filled
from its branch_updated events, so a service checks a branch code its records name
without calling the catalogue. One table shape and one way to keep and check it,
for every service that keeps one."""

from __future__ import annotations

import re
import time
from weakref import WeakKeyDictionary

from marshmallow import validate
from sqlalchemy import Float, String, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, Session, mapped_column

from .errors import field_error

BRANCH_CODE = re.compile(r"[A-Z0-9]{2,10}\Z")  # the catalogue's spelling; \Z, as $ lets "\n" in
branch_code = validate.Regexp(BRANCH_CODE, error="Use 2-10 capital letters or digits.")


class BranchColumns:
    """The read model's table, mixed into a service's own declarative base."""

    __tablename__ = "branches"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    updated_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)


class BranchReadModel:
    """Keeps and checks one service's copy of the branches (`model`, its table)."""

    def __init__(self, model: type[BranchColumns]):
        self.model = model
        # The codes found, by database: the catalogue never removes a branch, so a
        # code found once needs no read again (a write names its branch every time).
        self._found: WeakKeyDictionary[Engine, set[str]] = WeakKeyDictionary()

    def seen(self, session: Session, data: dict) -> None:
        """A branch as the catalogue now tells it (new, or renamed)."""
        branch = session.get(self.model, data["code"]) or self.model(code=data["code"])
        branch.name, branch.updated_at = data["name"], time.time()
        session.add(branch)

    def listed(self, session: Session) -> dict:
        """Every branch told of, by code, as {"items": [{code, name}]}: what a page
        offers to choose from and names a code by."""
        found = session.scalars(select(self.model).order_by(self.model.code))
        return {"items": [{"code": b.code, "name": b.name} for b in found]}

    def find(self, session: Session, code) -> BranchColumns | None:
        fits = isinstance(code, str) and BRANCH_CODE.match(code)
        return session.get(self.model, code) if fits else None

    def require(self, session: Session, code, field: str = "branch") -> str:
        """The code of the branch a record names, or a 400 on `field`."""
        found = self._found.setdefault(session.get_bind().engine, set())
        if code in found:
            return code
        if self.find(session, code) is None:
            raise field_error(field, f"No branch {code!r}.")
        found.add(code)
        return code
