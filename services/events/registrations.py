"""Registration for an occurrence (or each still to come of its series), with its
capacity, its partners' seats and its waitlist.

The occurrence's row is locked for each registration and cancellation (FOR UPDATE on
PostgreSQL; SQLite's writers take turns), so simultaneous registrations count the
seats one at a time: never more confirmed than the capacity, never one lost or
counted twice, and a cancellation promotes the first waiting who may take the seat.

Seats: each co-hosting partner has seats kept for its people (registered with the
partner's key); the rest is the general pool. A partner's person takes a kept seat
first, then the general pool. At `quota_release_hours` before the start the kept
seats still empty go to everyone."""

from __future__ import annotations

import hashlib
import secrets
import time
from types import SimpleNamespace
from typing import NamedTuple

from sqlalchemy import (
    JSON,
    Integer,
    String,
    bindparam,
    cast,
    func,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from chassis.bulk import reserve_ids
from chassis.context import Caller
from chassis.db import insert_at_end, locked_first
from chassis.errors import Conflict, Forbidden, NotFound
from chassis.records import get_or_not_found, lockable, not_found
from chassis.schemas import load

from .contract import (
    CHECKIN_CODE,
    CODE_ALPHABET,
    OCCURRENCE_ID,
    PARTNER_ID,
    PROGRAMME_ID,
    REGISTRATION_ID,
    RegistrationInput,
)
from .models import CoHost, Occurrence, Programme, Registration, outbox
from .notices import REMINDER_HOURS, registration_event, reminder_time
from .programmes import cohosts, find_occurrence, registration_refusal, upcoming_locked
from .times import iso_local

registration_input = RegistrationInput()


def new_code(session: Session) -> str:
    while True:
        code = _candidate_code()
        if session.scalar(select(Registration.seq).where(Registration.code == code)) is None:
            return code


def _candidate_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def person_key(name: str, contact: str) -> str:
    """The same person: the same name and contact (in its one spelling, an e-mail's
    case aside). A family shares a phone, so the name counts too. (A phone is keyed
    by its digits, as before contacts had one spelling: older rows still match.)"""
    person = f"{' '.join(name.casefold().split())}|{contact.lower().removeprefix('+')}"
    return hashlib.sha256(person.encode()).hexdigest()


def seat_for(
    session: Session,
    programme: Programme,
    occurrence: Occurrence,
    partner_seq: int | None,
    now: float,
    counted: Places | None = None,
) -> tuple[str, int | None]:
    """(status, pool) a newcomer gets now: confirmed in a partner's kept seats or
    the general pool, else waitlisted. `counted`: the occurrence's seats(), if known."""
    quotas, used, _ = seats(session, programme, occurrence) if counted is None else counted
    if sum(used.values()) >= programme.capacity:
        return "waitlisted", None
    if partner_seq in quotas and used.get(partner_seq, 0) < quotas[partner_seq]:
        return "confirmed", partner_seq
    released = now >= occurrence.starts_at - programme.quota_release_hours * 3600
    general = programme.capacity - sum(quotas.values())
    if released or used.get(None, 0) < general:
        return "confirmed", None
    return "waitlisted", None


class Places(NamedTuple):
    """An occurrence's places as a registration finds them."""

    kept: dict[int, int]  # {partner: seats kept for its people}
    used: dict[int | None, int]  # {pool (None: the general one): confirmed in it}
    waiting: int  # on its waitlist


# seats's one query, built once: the partners' kept seats, then the places taken.
SEATS = union_all(
    select(CoHost.partner_seq, CoHost.seats, cast(null(), String), cast(null(), Integer)).where(
        CoHost.programme_seq == bindparam("programme")
    ),
    select(Registration.pool_partner_seq, cast(null(), Integer), Registration.status, func.count())
    .where(
        Registration.occurrence_seq == bindparam("occurrence"),
        Registration.status.in_(("confirmed", "waitlisted")),
    )
    .group_by(Registration.pool_partner_seq, Registration.status),
)


def seats(session: Session, programme: Programme, occurrence: Occurrence) -> Places:
    """An occurrence's places, in one query: under its lock, a registration's every
    wait is every other's too."""
    at = {"programme": programme.seq, "occurrence": occurrence.seq}
    rows = session.execute(SEATS, at).all()
    kept = [(pool, seats_kept) for pool, seats_kept, status, _ in rows if status is None]
    return _places(kept, [(pool, status, n) for pool, _, status, n in rows if status])


def _places(kept: list, taken: list) -> Places:
    """Places from the seats kept, (partner, seats) each, and those taken, (pool,
    status, how many) each."""
    used, waiting = {}, 0
    for pool, status, count in taken:
        if status == "confirmed":
            used[pool] = count
        else:
            waiting += count
    return Places(dict(kept), used, waiting)


def _open_for_registration(programme: Programme, occurrence: Occurrence, now: float) -> None:
    refusal = registration_refusal(programme, occurrence, now)
    if refusal is not None:
        raise refusal


def _partner_of(caller: Caller) -> int | None:
    """A partner's key registers its own people, in its kept seats; anyone else
    registers in the general pool."""
    if caller.role != "partner":
        return None
    seq = PARTNER_ID.parse(caller.partner or "")
    if seq is None:
        raise Forbidden("this partner key names no partner of ours", {"partner": caller.partner})
    return seq


def sees_person(caller: Caller, programme: Programme) -> bool:
    """A participant's name and contact: the programme's branch and headquarters."""
    return caller.may_act_at(programme.branch_code)


def dump_registration(
    registration: Registration,
    occurrence: Occurrence,
    programme: Programme,
    person: bool,
    position: int | None = None,
) -> dict:
    """Of the ORM's objects, or of rows as the database gives them (door_rows)."""
    answer = {
        "id": REGISTRATION_ID.format(registration.seq),
        "occurrence_id": OCCURRENCE_ID.format(occurrence.seq),
        "programme_id": PROGRAMME_ID.format(programme.seq),
        "title": programme.title,
        "starts_at": iso_local(occurrence.starts_at),
        "branch": programme.branch_code,
        "status": registration.status,
        "code": registration.code,
        "waitlist_position": position,
        "partner_id": registration.partner_seq and PARTNER_ID.format(registration.partner_seq),
        "age_group": registration.age_group,
        "checked_in": registration.checked_in_at is not None,
    }
    if person:
        answer["name"] = registration.name or ""
        answer["contact"] = registration.contact or ""
    return answer


def waitlist_position(session: Session, registration: Registration) -> int | None:
    if registration.status != "waitlisted":
        return None
    return session.scalar(
        select(func.count()).where(
            Registration.occurrence_seq == registration.occurrence_seq,
            Registration.status == "waitlisted",
            Registration.seq <= registration.seq,
        )
    )


# A person's registration for an occurrence, built once; UNKNOWN: not looked for yet.
PERSON = select(Registration).where(
    Registration.occurrence_seq == bindparam("occurrence"),
    Registration.person_key == bindparam("person"),
)
UNKNOWN = object()


def _register_one(
    session: Session,
    programme: Programme,
    occurrence: Occurrence,
    data: dict,
    partner_seq: int | None,
    now: float,
    reminder_hours: float,
    counted: Places | None = None,
    code: str | None = None,
    existing: Registration | None | object = UNKNOWN,
    seq: int | None = None,
) -> Registration | None:
    """One registration, or None if this person is registered already. `counted`:
    the occurrence's seats(), if known; `existing`: the person's registration for it
    (or None), if known; `seq`: its key, if reserved. Its row is inserted with its
    event, at the end of the transaction."""
    key = person_key(data["name"], data["contact"])
    if existing is UNKNOWN:
        existing = session.scalar(PERSON, {"occurrence": occurrence.seq, "person": key})
    if existing is not None and existing.status != "cancelled":
        return None
    if existing is not None:  # registering again after cancelling: at the back of the line
        session.delete(existing)
        session.flush()
    status, pool = seat_for(session, programme, occurrence, partner_seq, now, counted)
    confirmed = status == "confirmed"
    row = {
        "seq": seq or reserve_ids(session, Registration.seq, 1)[0],
        "occurrence_seq": occurrence.seq,
        "person_key": key,
        "name": data["name"],
        "contact": data["contact"],
        "age_group": data.get("age_group"),
        "partner_seq": partner_seq,
        "pool_partner_seq": pool,
        "status": status,
        "was_waitlisted": not confirmed,
        "code": code or new_code(session),
        "checked_in_at": None,
        "reminder_due_at": reminder_time(occurrence, reminder_hours) if confirmed else None,
        "reminded_at": None,
        "created_at": now,
        "updated_at": now,
    }
    insert_at_end(session, Registration.__table__, [row])
    registration = Registration(**row)
    outbox.emit(
        session,
        f"registration_{status}",
        registration.id,
        registration_event(programme, occurrence, registration),
    )
    return registration


def register(
    session: Session,
    occurrence_id: str,
    payload: dict,
    caller: Caller,
    reminder_hours: float = REMINDER_HOURS,
) -> dict:
    """Register a participant for one occurrence, or for each of its series still to
    come (scope "series"). The same person twice is a 409."""
    data = load(registration_input, payload)
    partner_seq = _partner_of(caller)
    now = time.time()
    if data["scope"] == "series":
        occurrence, programme, _, _ = _occurrence(session, occurrence_id)
        _open_for_registration(programme, occurrence, now)
        targets = upcoming_locked(session, programme, now)  # every one locked, in order
        quotas, code, counted, known = cohosts(session, programme), None, None, UNKNOWN
        reserved = None
    else:
        # One occurrence: locked by the query that finds it, which also tells whether
        # the code drawn for the registration is free, and finds the person's own.
        code = _candidate_code()
        person = person_key(data["name"], data["contact"])
        # The seats, read under the lock: a partner joining or leaving locks it too.
        occurrence, programme, taken, known, counted, reserved = _occurrence_to_register(
            session, occurrence_id, code, person
        )
        code = new_code(session) if taken else code
        targets = [occurrence]
        quotas = counted.kept
    for target in targets:
        _open_for_registration(programme, target, now)  # now that it is locked
    if partner_seq is not None and partner_seq not in quotas:
        raise Forbidden(
            f"{PARTNER_ID.format(partner_seq)} does not co-host {programme.id}.",
            {"programme_id": programme.id},
        )
    made = []
    # The same person at the same moment is found by `known` or _register_one's own
    # look: both read after the occurrences' locks, as their last holder left them.
    for target in targets:
        one = _register_one(
            session, programme, target, data, partner_seq, now, reminder_hours, counted, code,
            known, reserved,
        )  # fmt: skip
        if one is not None:
            made.append((one, target))
    if not made:
        raise Conflict(
            "This person is already registered.",
            {"occurrence_id": occurrence_id, "field": "contact"},
        )
    person = True  # the registrant sees what they gave
    if counted is not None:  # one occurrence, locked: a newcomer waits behind all before
        one = made[0][0]
        position = counted.waiting + 1 if one.status == "waitlisted" else None
        return {"items": [dump_registration(one, occurrence, programme, person, position)]}
    return {
        "items": [
            dump_registration(r, o, programme, person, waitlist_position(session, r))
            for r, o in made
        ]
    }


_WITH_PROGRAMME = (
    select(
        Occurrence,
        Programme,
        select(Registration.seq).where(Registration.code == bindparam("code")).exists(),
        Registration,
    )
    .join(Programme, Programme.seq == Occurrence.programme_seq)
    .outerjoin(
        Registration,
        (Registration.occurrence_seq == Occurrence.seq)
        & (Registration.person_key == bindparam("person")),
    )
    .where(Occurrence.seq == bindparam("seq"))
)
# _occurrence's query, unlocked and locked, built once.
OCCURRENCE = lockable(_WITH_PROGRAMME, Occurrence)
# On PostgreSQL a registration locks the occurrence by a statement of its own sent
# before the one that reads it, in the same round trip (chassis/db.py, locked_first),
# and that one reads the occurrence, the person's registration and the places (as
# SEATS, in JSON) as the lock's last holder left them: one statement that locked the
# row and counted the places would count them as they were before it waited. On
# SQLite a writer waits at BEGIN, and two statements cost no round trip.
_PLACES = literal_column(
    "json_build_object("
    "'kept', (SELECT coalesce(json_agg(json_build_array(k.partner_seq, k.seats)), '[]')"
    " FROM cohosts AS k WHERE k.programme_seq = occurrences.programme_seq),"
    " 'taken', (SELECT coalesce(json_agg(json_build_array(t.pool, t.status, t.n)), '[]')"
    " FROM (SELECT r.pool_partner_seq AS pool, r.status, count(*) AS n"
    " FROM registrations AS r WHERE r.occurrence_seq = occurrences.seq"
    " AND r.status IN ('confirmed', 'waitlisted')"
    " GROUP BY r.pool_partner_seq, r.status) AS t))",
    JSON,
)
# And the key a new registration will have, so that its row goes in with its event.
_NEXT_SEQ = literal_column("nextval(pg_get_serial_sequence('registrations', 'seq'))", Integer)
LOCKED_WITH_PLACES = locked_first(
    _WITH_PROGRAMME.add_columns(_PLACES, _NEXT_SEQ), Occurrence.__table__, "seq"
)


def _occurrence(
    session: Session,
    occurrence_id: str,
    lock: bool = False,
    code: str | None = None,
    person: str | None = None,
) -> tuple[Occurrence, Programme, bool, Registration | None]:
    """(the occurrence, its programme, whether `code` is a registration's already,
    the `person`'s registration for it or None) in one query, the occurrence's row
    locked (FOR UPDATE) if `lock`; NotFound else."""
    seq = OCCURRENCE_ID.parse(occurrence_id)
    found = None
    if seq is not None:
        params = {"seq": seq, "code": code, "person": person}
        found = session.execute(OCCURRENCE[lock], params).first()
    if found is None:
        raise not_found("occurrence", occurrence_id)
    return found[0], found[1], bool(found[2]), found[3]


def _occurrence_to_register(
    session: Session, occurrence_id: str, code: str, person: str
) -> tuple[Occurrence, Programme, bool, Registration | None, Places, int | None]:
    """_occurrence's, locked, its places and the new registration's key (None: not
    reserved yet): in one round trip on PostgreSQL."""
    if session.get_bind().dialect.name != "postgresql":
        found = _occurrence(session, occurrence_id, lock=True, code=code, person=person)
        return (*found, seats(session, found[1], found[0]), None)
    seq = OCCURRENCE_ID.parse(occurrence_id)
    params = {"seq": seq, "code": code, "person": person}
    found = session.execute(LOCKED_WITH_PLACES, params).first() if seq is not None else None
    if found is None:
        raise not_found("occurrence", occurrence_id)
    occurrence, programme, taken, known, places, reserved = found
    counted = _places(places["kept"], places["taken"])
    return occurrence, programme, bool(taken), known, counted, reserved


def find_registration(session: Session, registration_id, for_update=False) -> Registration:
    return get_or_not_found(
        session, Registration, REGISTRATION_ID.parse(registration_id), noun="registration",
        named=registration_id, for_update=for_update,
    )  # fmt: skip


def _context(session: Session, registration: Registration) -> tuple[Occurrence, Programme]:
    occurrence = session.get(Occurrence, registration.occurrence_seq)
    return occurrence, session.get(Programme, occurrence.programme_seq)


def _require_reader(caller: Caller, programme: Programme, registration: Registration) -> None:
    """The programme's branch and headquarters; a partner its own people."""
    if caller.role == "partner":
        if registration.partner_seq is None or PARTNER_ID.format(registration.partner_seq) != (
            caller.partner or ""
        ):
            raise Forbidden("not one of this partner's people", {"id": registration.id})
        return
    caller.require_role("branch")
    caller.require_branch(programme.branch_code)


def get_registration(session: Session, registration_id: str, caller: Caller) -> dict:
    registration = find_registration(session, registration_id)
    occurrence, programme = _context(session, registration)
    _require_reader(caller, programme, registration)
    return dump_registration(
        registration, occurrence, programme, sees_person(caller, programme),
        waitlist_position(session, registration),
    )  # fmt: skip


def list_registrations(session: Session, occurrence_id: str, caller: Caller) -> dict:
    """Who registered for an occurrence, in the order they came: the branch and
    headquarters see everyone, with contacts; a partner its own people, without."""
    occurrence = find_occurrence(session, occurrence_id)
    programme = session.get(Programme, occurrence.programme_seq)
    stmt = (
        select(Registration)
        .where(Registration.occurrence_seq == occurrence.seq)
        .order_by(Registration.seq)
    )
    if caller.role == "partner":
        stmt = stmt.where(Registration.partner_seq == _partner_of(caller))
    else:
        caller.require_role("branch")
        caller.require_branch(programme.branch_code)
    person = sees_person(caller, programme)
    rows = list(session.scalars(stmt))
    waiting = iter(range(1, len(rows) + 1))
    return {
        "items": [
            dump_registration(
                r,
                occurrence,
                programme,
                person,
                next(waiting) if r.status == "waitlisted" else None,
            )  # fmt: skip
            for r in rows
        ]
    }


def public_registration(session: Session, code: str) -> dict:
    """A registration as its holder's page shows it, by its code: no name or contact."""
    registration, occurrence, programme = by_code(session, code)
    return dump_registration(
        registration, occurrence, programme, False, waitlist_position(session, registration)
    )


_AT_THE_DOOR = (
    select(Registration, Occurrence, Programme)
    .join(Occurrence, Occurrence.seq == Registration.occurrence_seq)
    .join(Programme, Programme.seq == Occurrence.programme_seq)
    .where(Registration.code == bindparam("code"))
)
# by_code's statement, unlocked and locked, built once: the door runs it for everyone.
BY_CODE = lockable(_AT_THE_DOOR, Registration)
# door_rows's: the same, as the tables' rows (no ORM objects), for a one-statement read.
_DOOR_TABLES = (Registration.__table__, Occurrence.__table__, Programme.__table__)
DOOR_ROWS = (
    select(*_DOOR_TABLES)
    .join_from(Registration.__table__, Occurrence.__table__)
    .join_from(Occurrence.__table__, Programme.__table__)
    .where(Registration.__table__.c.code == bindparam("code"))
)


def door_rows(reader, code) -> tuple[SimpleNamespace, SimpleNamespace, SimpleNamespace]:
    """by_code's three records, unlocked, in one SELECT that `reader` runs (a session,
    or DatabaseSession.read_one's reader): each a row of its table's columns, as
    attributes."""
    code = _spelled(code)
    row = reader.execute(DOOR_ROWS, {"code": code}).first() if CHECKIN_CODE.match(code) else None
    if row is None:
        raise NotFound(f"No registration with the code {code!r}.", {"code": code})
    records, at = [], 0
    for table in _DOOR_TABLES:
        names = table.columns.keys()
        records.append(SimpleNamespace(**dict(zip(names, row[at : at + len(names)], strict=True))))
        at += len(names)
    return tuple(records)


def _spelled(code) -> str:
    return code.strip().upper() if isinstance(code, str) else ""


def by_code(
    session: Session, code, for_update: bool = False
) -> tuple[Registration, Occurrence, Programme]:
    """The registration holding `code` (its row locked if `for_update`), with its
    occurrence and programme: the door needs all three, in one query."""
    code = _spelled(code)
    row = None
    if CHECKIN_CODE.match(code):
        row = session.execute(BY_CODE[for_update], {"code": code}).first()
    if row is None:
        raise NotFound(f"No registration with the code {code!r}.", {"code": code})
    registration, occurrence, programme = row
    return registration, occurrence, programme


def cancel_registration(
    session: Session, registration_id: str, caller: Caller, reminder_hours: float = REMINDER_HOURS
) -> dict:
    """Cancel a registration; a confirmed one's seat goes to the first waiting who
    may take it."""
    registration = find_registration(session, registration_id)
    occurrence, programme = _context(session, registration)
    _require_reader(caller, programme, registration)
    session.refresh(occurrence, with_for_update=True)  # count seats one change at a time
    session.refresh(registration)
    if registration.status not in ("confirmed", "waitlisted") or occurrence.status != "scheduled":
        raise Conflict(
            f"{registration.id} is {registration.status} (occurrence {occurrence.status}); "
            "there is nothing to cancel.",
            {"id": registration.id, "status": registration.status},
        )
    was = registration.status
    registration.status, registration.updated_at = "cancelled", time.time()
    session.flush()
    outbox.emit(
        session,
        "registration_cancelled",
        registration.id,
        registration_event(programme, occurrence, registration, "cancelled_by_participant"),
    )
    if was == "confirmed":
        promote(session, programme, occurrence, reminder_hours)
    return dump_registration(registration, occurrence, programme, sees_person(caller, programme))


def promote(
    session: Session,
    programme: Programme,
    occurrence: Occurrence,
    reminder_hours: float = REMINDER_HOURS,
    limit: int = 1,
) -> int:
    """The first waiting who may take a free seat take it (at most `limit`)."""
    now, promoted = time.time(), 0
    waiting = session.scalars(
        select(Registration)
        .where(Registration.occurrence_seq == occurrence.seq, Registration.status == "waitlisted")
        .order_by(Registration.seq)
    ).all()
    for registration in waiting:
        if promoted >= limit:
            break
        status, pool = seat_for(session, programme, occurrence, registration.partner_seq, now)
        if status != "confirmed":
            continue
        registration.status, registration.pool_partner_seq = "confirmed", pool
        registration.reminder_due_at = reminder_time(occurrence, reminder_hours)
        registration.updated_at = now
        session.flush()
        outbox.emit(
            session,
            "waitlist_promoted",
            registration.id,
            registration_event(programme, occurrence, registration),
        )
        promoted += 1
    return promoted
