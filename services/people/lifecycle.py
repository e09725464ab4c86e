"""A programme's lifecycle: draft -> scheduled -> running -> completed, or cancelled
before it completes. Any other move is a conflict with the programme's state (409);
completing it settles each participant (completion.py)."""

from __future__ import annotations

import datetime as dt
import time

from sqlalchemy.orm import Session

from chassis.context import Caller
from chassis.errors import Conflict
from chassis.schemas import load

from .completion import complete_programme
from .contract import Transition
from .models import outbox
from .programmes import dump_programme, event_data, find_programme, sessions_of

transition_input = Transition()
# Where each status may go; any other move is a conflict with the programme's state.
NEXT = {
    "draft": ("scheduled", "cancelled"),
    "scheduled": ("running", "cancelled"),
    "running": ("completed", "cancelled"),
    "completed": (),
    "cancelled": (),
}


def transition(
    session: Session, programme_id: str, payload: dict, caller: Caller, today: dt.date | None = None
) -> dict:
    caller.require_role()
    target = load(transition_input, payload)["to"]
    programme = find_programme(session, programme_id, for_update=True)
    if target not in NEXT[programme.status]:
        raise Conflict(
            f"{programme.id} is {programme.status}; it cannot become {target}.",
            {"id": programme.id, "status": programme.status, "to": target},
        )
    if target == "scheduled" and not sessions_of(session, programme):
        raise Conflict(f"{programme.id} has no session to schedule.", {"id": programme.id})
    programme.status = target
    programme.version += 1
    programme.updated_at = time.time()
    session.flush()
    if target == "scheduled":
        outbox.emit(session, "programme_scheduled", programme.id, event_data(session, programme))
    if target == "completed":
        complete_programme(session, programme, today or dt.date.today())
    return dump_programme(session, programme)
