"""Partners joining a programme as co-hosts, and leaving it.

A partner's key joins for its own institution (with an agreement in force); a
branch's key adds any partner to its own branch's programme. Either takes the
co-host off again. The seats a co-host keeps come out of the general pool, so it may
keep only seats nobody holds in any occurrence still to come. When it leaves, its
people keep their seats (now the general pool's) and the seats it kept and left
empty go to whoever is waiting."""

from __future__ import annotations

import time

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from chassis.context import Caller
from chassis.errors import Conflict, NotFound, field_error
from chassis.schemas import load

from .contract import PARTNER_ID, CoHosting
from .models import CoHost, Occurrence, Programme, Registration
from .notices import REMINDER_HOURS
from .partners import require_own, usable_partner
from .programmes import cohosts, dump_programme, find_programme, tell_changed, upcoming_locked
from .registrations import promote

cohosting_input = CoHosting()
CHANGEABLE = ("draft", "published")


def _acting_for(caller: Caller, partner_id: str | None) -> str:
    """The partner a request is about: a partner's key acts for its own only."""
    if caller.role == "partner":
        partner_id = partner_id or caller.partner or ""
        require_own(caller, partner_id)
        return partner_id
    if not partner_id:
        raise field_error(
            "partner_id", "Name the partner: only a partner's own key may leave it out."
        )
    return partner_id


def _open_to_change(caller: Caller, programme: Programme) -> None:
    if caller.role != "partner":  # a partner acts for itself (_acting_for); others manage
        caller.require_role("branch")
        caller.require_branch(programme.branch_code)
    if programme.status not in CHANGEABLE:
        raise Conflict(
            f"{programme.id} is {programme.status}; its partners no longer change.",
            {"id": programme.id, "status": programme.status},
        )


def _general_seats_held(session: Session, occurrences: list[Occurrence]) -> int:
    """The most general-pool seats confirmed in any one of `occurrences`."""
    if not occurrences:
        return 0
    held = session.scalar(
        select(func.count())
        .where(
            Registration.occurrence_seq.in_([o.seq for o in occurrences]),
            Registration.status == "confirmed",
            Registration.pool_partner_seq.is_(None),
        )
        .group_by(Registration.occurrence_seq)
        .order_by(func.count().desc())
        .limit(1)
    )
    return held or 0


def _changed(session: Session, programme: Programme) -> None:
    programme.version += 1
    programme.updated_at = time.time()
    session.flush()
    partners = [PARTNER_ID.format(p) for p in sorted(cohosts(session, programme))]
    tell_changed(
        session,
        programme,
        {
            "occurrence_id": None,
            "starts_at": None,
            "status": programme.status,
            "partners": partners,
        },
    )


def cohost_programme(session: Session, programme_id: str, payload: dict, caller: Caller) -> dict:
    """A partner joins as co-host, keeping `seats` for its people."""
    data = load(cohosting_input, payload)
    partner_id = _acting_for(caller, data.get("partner_id"))
    programme = find_programme(session, programme_id, for_update=True)
    _open_to_change(caller, programme)
    partner = usable_partner(session, partner_id, "partner_id")
    kept = cohosts(session, programme)
    if partner.seq in kept:
        how = "hosts" if partner.seq == programme.host_partner_seq else "co-hosts"
        raise Conflict(f"{partner.id} {how} {programme.id} already.", {"partner_id": partner.id})
    free = programme.capacity - sum(kept.values())
    free -= _general_seats_held(session, upcoming_locked(session, programme, time.time()))
    if data["seats"] > free:
        raise Conflict(
            f"Only {free} seats of {programme.id} are free to keep (the rest are kept for "
            "partners or taken).",
            {"seats": data["seats"], "free": free},
        )
    session.add(CoHost(programme_seq=programme.seq, partner_seq=partner.seq, seats=data["seats"]))
    _changed(session, programme)
    return dump_programme(session, programme)


def stop_cohosting(
    session: Session,
    programme_id: str,
    partner_id: str,
    caller: Caller,
    reminder_hours: float = REMINDER_HOURS,
) -> dict:
    """A co-host leaves: its people keep their seats, its empty ones go to the waiting."""
    partner_id = _acting_for(caller, partner_id)
    programme = find_programme(session, programme_id, for_update=True)
    _open_to_change(caller, programme)
    seq = PARTNER_ID.parse(partner_id)
    if seq is not None and seq == programme.host_partner_seq:
        raise Conflict(
            f"{partner_id} hosts {programme.id}: the host changes with the programme itself.",
            {"partner_id": partner_id},
        )
    cohost = session.get(CoHost, (programme.seq, seq)) if seq is not None else None
    if cohost is None:
        raise NotFound(f"{partner_id} does not co-host {programme.id}.", {"partner_id": partner_id})
    upcoming = upcoming_locked(session, programme, time.time())
    session.execute(
        update(Registration)
        .where(
            Registration.occurrence_seq.in_([o.seq for o in upcoming]),
            Registration.pool_partner_seq == seq,
        )
        .values(pool_partner_seq=None)
    )
    session.delete(cohost)
    session.flush()
    for occurrence in upcoming:
        promote(session, programme, occurrence, reminder_hours, programme.capacity)
    _changed(session, programme)
    return dump_programme(session, programme)
