"""Staff: librarians and other employees of the library, each at a branch, with their
place on the jabatan fungsional ladder and its history. Headquarters (admin keys)
manages everyone; a branch key sees and manages its own branch's staff only."""

from __future__ import annotations

import datetime as dt
import time

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from chassis.context import Caller
from chassis.db import insert_at_end
from chassis.errors import Conflict, Forbidden, field_error
from chassis.pagination import Keyset
from chassis.records import get_or_not_found
from chassis.schemas import load

from .contract import STAFF_ID, StaffChange, StaffInput, StaffQuery
from .models import PositionHistory, Staff, branches, outbox
from .nip import parse_nip

staff_input, staff_change, staff_query = StaffInput(), StaffChange(), StaffQuery()
IN_ID_ORDER = Keyset(Staff.seq)


def event_data(staff: Staff) -> dict:
    """What events say of a member of staff: never the NIP or the birth date."""
    return {
        "id": staff.id,
        "name": staff.name,
        "branch": staff.branch_code,
        "position": staff.position,
        "active": staff.active,
    }


def histories(session: Session, seqs: list[int]) -> dict[int, list[dict]]:
    """The position histories of many staff in one query (a page of them)."""
    found: dict[int, list[dict]] = {seq: [] for seq in seqs}
    rows = session.scalars(
        select(PositionHistory)
        .where(PositionHistory.staff_seq.in_(seqs))
        .order_by(PositionHistory.id)
    )
    for h in rows:
        found[h.staff_seq].append(_dump_position(h))
    return found


def _dump_position(h: PositionHistory) -> dict:
    return {
        "position": h.position,
        "previous": h.previous,
        "effective": h.effective.isoformat(),
        "note": h.note,
    }


def dump_staff(session: Session, staff: Staff, history: list[dict] | None = None) -> dict:
    if history is None:
        history = histories(session, [staff.seq])[staff.seq]
    return {**event_data(staff), "nip": staff.nip, "positions": history, "version": staff.version}


def find_staff(session: Session, staff_id, field: str = "id", for_update: bool = False) -> Staff:
    return get_or_not_found(
        session,
        Staff,
        STAFF_ID.parse(staff_id),
        noun="member of staff",
        named=staff_id,
        field=field,
        for_update=for_update,
    )


def staff_for(session: Session, staff_id, caller: Caller, field: str = "id", **kw) -> Staff:
    """The member of staff `caller` may see or act for: admins anyone, a branch key
    its own branch's (another branch's is a 403); partner and integrator keys no one."""
    caller.require_role("branch")
    staff = find_staff(session, staff_id, field, **kw)
    caller.require_branch(staff.branch_code)
    return staff


def _nip(value, today: dt.date) -> str | None:
    return parse_nip(value, today).number if value not in (None, "") else None


def _nip_free(session: Session, nip: str | None, seq: int | None = None) -> None:
    """A NIP names one person: one held by someone else is a conflict."""
    if nip is None:
        return
    holder = session.scalar(select(Staff).where(Staff.nip == nip, Staff.seq != (seq or 0)))
    if holder is not None:
        raise Conflict(
            f"That NIP is already {holder.id}'s.", {"field": "nip", "existing_id": holder.id}
        )


def _flush(session: Session) -> None:
    """Flush; the same NIP written at the same moment by another request (after both
    found it free) is the conflict _nip_free would have said, not a failure."""
    try:
        session.flush()
    except IntegrityError as exc:
        if "nip" not in str(exc.orig):
            raise
        raise Conflict(
            "That NIP was just given to another member of staff.", {"field": "nip"}
        ) from None


def register_staff(
    session: Session, payload: dict, caller: Caller, today: dt.date | None = None
) -> dict:
    today = today or dt.date.today()
    caller.require_role("branch")
    data = load(staff_input, payload)
    caller.require_branch(data["branch"])
    branches.require(session, data["branch"])
    nip = _nip(data.get("nip"), today)
    _nip_free(session, nip)
    staff = Staff(
        name=data["name"],
        nip=nip,
        branch_code=data["branch"],
        position=data["position"],
        active=data["active"],
    )
    session.add(staff)
    _flush(session)
    first = {
        "staff_seq": staff.seq,
        "position": staff.position,
        "previous": None,
        "effective": today,
        "note": None,
    }
    insert_at_end(session, PositionHistory.__table__, [first])  # with the event
    outbox.emit(session, "staff_registered", staff.id, event_data(staff))
    return dump_staff(session, staff, [_dump_position(PositionHistory(**first))])


def change_staff(
    session: Session, staff_id: str, payload: dict, caller: Caller, today: dt.date | None = None
) -> dict:
    today = today or dt.date.today()
    staff = staff_for(session, staff_id, caller, for_update=True)
    data = load(staff_change, payload)
    if "branch" in data and data["branch"] != staff.branch_code:
        caller.require_branch(data["branch"])
        branches.require(session, data["branch"])
        staff.branch_code = data["branch"]
    if "nip" in data:
        staff.nip = _nip(data["nip"], today)
        _nip_free(session, staff.nip, staff.seq)
    if "name" in data:
        staff.name = data["name"]
    if "active" in data:
        staff.active = data["active"]
    if "position" in data and data["position"] != staff.position:
        session.add(
            PositionHistory(
                staff_seq=staff.seq,
                position=data["position"],
                previous=staff.position,
                effective=data.get("effective") or today,
                note=data.get("note"),
            )
        )
        staff.position = data["position"]
    staff.version += 1
    staff.updated_at = time.time()
    _flush(session)
    outbox.emit(session, "staff_changed", staff.id, event_data(staff))
    return dump_staff(session, staff)


def get_staff(session: Session, staff_id: str, caller: Caller) -> dict:
    return dump_staff(session, staff_for(session, staff_id, caller))


def branch_seen_by(caller: Caller, branch: str | None) -> str | None:
    """The branch whose staff a list shows: the one asked for (None: every branch)
    for an admin, always its own for a branch key (another is a 403); partner and
    integrator keys see no staff."""
    caller.require_role("branch")
    if caller.is_admin:
        return branch
    if branch not in (None, caller.branch):
        raise Forbidden(
            f"this key may not see branch {branch!r}",
            {"branch": branch, "caller_branch": caller.branch},
        )
    return caller.branch


def list_staff(session: Session, params: dict, caller: Caller) -> dict:
    """Staff in id order, a page at a time; a branch key's list is its branch's."""
    caller.require_role("branch")
    query = load(staff_query, params)
    branch = branch_seen_by(caller, query.get("branch"))
    stmt = select(Staff)
    if branch:
        stmt = stmt.where(Staff.branch_code == branch)
    if "position" in query:
        stmt = stmt.where(Staff.position == query["position"])
    if "active" in query:
        stmt = stmt.where(Staff.active == query["active"])
    rows, cursor = IN_ID_ORDER.fetch(session, stmt, query["limit"], query.get("cursor"))
    history = histories(session, [s.seq for s in rows])
    return {
        "items": [dump_staff(session, s, history[s.seq]) for s in rows],
        "next_cursor": cursor,
    }


def named_staff(session: Session, staff_id, field: str) -> Staff:
    """A member of staff named in a request's body (a trainer, a participant): one
    that does not exist is a bad field (400), not a missing resource."""
    seq = STAFF_ID.parse(staff_id)
    staff = session.get(Staff, seq) if seq is not None else None
    if staff is None:
        raise no_such_staff(field, staff_id)
    return staff


def no_such_staff(field: str, staff_id) -> Exception:
    """What a body naming a member of staff who does not exist is answered."""
    return field_error(field, f"No member of staff {staff_id!r}.")
