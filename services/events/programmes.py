"""Programmes: what, for whom, where, when (one sitting or a series by RRULE), with
whom (co-hosting partners and their seats), and their lifecycle: draft, published,
cancelled, completed. A branch key plans its own branch's programmes; headquarters
any branch's.

Occurrences are made from the schedule while the programme is a draft; once it is
published, each is moved or cancelled alone (change_occurrence), and each change
bumps its SEQUENCE so calendar apps take it."""

from __future__ import annotations

import datetime as dt
import re
import time

from dateutil.rrule import rrulestr
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from chassis.context import Caller
from chassis.errors import Conflict, NotFound, field_error
from chassis.pagination import Keyset
from chassis.records import get_or_not_found
from chassis.schemas import load

from .contract import (
    AUDIENCES,
    MAX_OCCURRENCES,
    OCCURRENCE_ID,
    PARTNER_ID,
    PROGRAMME_ID,
    PROGRAMME_TYPES,
    CommunityProgrammeInput,
    CommunityProgrammeQuery,
    OccurrenceChange,
    ProgrammeTransition,
)
from .models import Branch, CoHost, Occurrence, Programme, Registration, branches, outbox
from .notices import active_registrations, registration_event, schedule_reminders
from .partners import usable_partner
from .readmodels import require_presenter
from .times import WIB, epoch_of, iso_local, month_of

programme_input, programme_query = CommunityProgrammeInput(), CommunityProgrammeQuery()
transition_input, occurrence_change = ProgrammeTransition(), OccurrenceChange()
NEWEST = Keyset(Programme.seq, descending=True)
MOVES = {"draft": ("published", "cancelled"), "published": ("cancelled", "completed")}


def find_programme(session: Session, programme_id, for_update: bool = False) -> Programme:
    return get_or_not_found(
        session, Programme, PROGRAMME_ID.parse(programme_id), noun="programme",
        named=programme_id, for_update=for_update,
    )  # fmt: skip


def find_occurrence(session: Session, occurrence_id, for_update: bool = False) -> Occurrence:
    return get_or_not_found(
        session, Occurrence, OCCURRENCE_ID.parse(occurrence_id), noun="occurrence",
        named=occurrence_id, for_update=for_update,
    )  # fmt: skip


def occurrences_of(session: Session, programme: Programme) -> list[Occurrence]:
    return list(
        session.scalars(
            select(Occurrence)
            .where(Occurrence.programme_seq == programme.seq)
            .order_by(Occurrence.starts_at, Occurrence.seq)
        )
    )


def upcoming_locked(session: Session, programme: Programme, now: float) -> list[Occurrence]:
    """The occurrences still to come, their rows locked, always in the same order
    (no deadlock between a series' registrations and a partner joining)."""
    return list(
        session.scalars(
            select(Occurrence)
            .where(
                Occurrence.programme_seq == programme.seq,
                Occurrence.status == "scheduled",
                Occurrence.starts_at > now,
            )
            .order_by(Occurrence.seq)
            .with_for_update()
        )
    )


def cohosts(session: Session, programme: Programme) -> dict[int, int]:
    """{partner seq: seats kept} of a programme: its host's and its co-hosts'."""
    rows = session.execute(
        select(CoHost.partner_seq, CoHost.seats).where(CoHost.programme_seq == programme.seq)
    )
    return dict(rows.all())


def counts(session: Session, occurrence_seqs: list[int]) -> dict[int, dict[str, int]]:
    """{occurrence seq: {status: registrations}}, in one query."""
    found: dict[int, dict[str, int]] = {seq: {} for seq in occurrence_seqs}
    if not occurrence_seqs:
        return found
    rows = session.execute(
        select(Registration.occurrence_seq, Registration.status, func.count())
        .where(Registration.occurrence_seq.in_(occurrence_seqs))
        .group_by(Registration.occurrence_seq, Registration.status)
    )
    for seq, status, n in rows:
        found[seq][status] = n
    return found


def registration_refusal(
    programme: Programme, occurrence: Occurrence, now: float
) -> Conflict | None:
    """Why `occurrence` takes no registration at `now`, or None while it takes one
    (confirmed or waitlisted). One rule for registering and for what the calendar and
    a programme's page offer as open: an occurrence stays `scheduled` while it runs,
    until it is completed, but from its start nobody registers for it."""
    if programme.status != "published" or occurrence.status != "scheduled":
        return Conflict(
            f"{occurrence.id} is not open for registration (programme {programme.status}, "
            f"occurrence {occurrence.status}).",
            {"occurrence_id": occurrence.id, "status": occurrence.status},
        )
    if occurrence.starts_at <= now:
        return Conflict(f"{occurrence.id} has started.", {"occurrence_id": occurrence.id})
    if programme.registration_opens and now < programme.registration_opens:
        return Conflict(
            f"Registration opens at {iso_local(programme.registration_opens)}.",
            {"registration_opens": iso_local(programme.registration_opens)},
        )
    if programme.registration_closes and now >= programme.registration_closes:
        return Conflict(
            f"Registration closed at {iso_local(programme.registration_closes)}.",
            {"registration_closes": iso_local(programme.registration_closes)},
        )
    return None


def dump_occurrence(
    occurrence: Occurrence, programme: Programme, counted: dict, now: float
) -> dict:
    confirmed = counted.get("confirmed", 0)
    return {
        "id": occurrence.id,
        "programme_id": programme.id,
        "title": programme.title,
        "programme_type": programme.programme_type,
        "audience": programme.audience,
        "branch": programme.branch_code,
        "room": occurrence.room,
        "starts_at": iso_local(occurrence.starts_at),
        "ends_at": iso_local(occurrence.ends_at),
        "status": occurrence.status,
        "capacity": programme.capacity,
        "confirmed": confirmed,
        "waitlisted": counted.get("waitlisted", 0),
        "seats_left": max(0, programme.capacity - confirmed),
        "sequence": occurrence.sequence,
        "registration_open": registration_refusal(programme, occurrence, now) is None,
    }


def dump_programme(session: Session, programme: Programme, now: float | None = None) -> dict:
    """The programme whole, its occurrences open for registration or not at `now`
    (default: the clock's)."""
    now = time.time() if now is None else now
    occurrences = occurrences_of(session, programme)
    counted = counts(session, [o.seq for o in occurrences])
    presenter = None
    if programme.presenter_staff_id or programme.presenter_name:
        presenter = {"staff_id": programme.presenter_staff_id, "name": programme.presenter_name}
    schedule = None
    if programme.first_start:
        schedule = {
            "starts_at": programme.first_start,
            "duration_minutes": programme.duration_minutes,
            "rrule": programme.rrule,
        }
    host, kept = programme.host_partner_seq, cohosts(session, programme)
    return {
        "id": programme.id,
        "programme_type": programme.programme_type,
        "title": programme.title,
        "description": programme.description,
        "audience": programme.audience,
        "branch": programme.branch_code,
        "room": programme.room,
        "capacity": programme.capacity,
        "registration_opens": iso_local(programme.registration_opens),
        "registration_closes": iso_local(programme.registration_closes),
        "presenter": presenter,
        "host_partner_id": host and PARTNER_ID.format(host),
        "host_seats": kept.get(host, 0),
        "partners": [
            {"partner_id": PARTNER_ID.format(p), "seats": s}
            for p, s in sorted(kept.items())
            if p != host
        ],
        "quota_release_hours": programme.quota_release_hours,
        "schedule": schedule,
        "status": programme.status,
        "suggestion_id": programme.suggestion_id,
        "occurrences": [dump_occurrence(o, programme, counted[o.seq], now) for o in occurrences],
        "version": programme.version,
    }


# RFC 5545's forms of UNTIL: a date, a floating (local) date-time, or a UTC one.
_UNTIL = re.compile(r"(?:^|[;:])\s*UNTIL=([^;]*)", re.IGNORECASE)
_COUNT = re.compile(r"(?:^|[;:])\s*COUNT=", re.IGNORECASE)
_UNTIL_FORM = re.compile(r"\d{8}(T\d{6}Z?)?", re.IGNORECASE)


def _as_until_says(rule: str, first: dt.datetime) -> tuple[str, dt.datetime]:
    """The rule and the DTSTART to walk it from, as its UNTIL is written (RFC 5545:
    UNTIL bounds the series inclusively). The first start is the branch's time (WIB),
    a DTSTART with a TZID, for which the RFC writes UNTIL in UTC (...Z): the series
    is then walked in WIB, aware, and compared in UTC. A floating UNTIL is read as
    the branch's time; a date takes the whole of that day."""
    until = _UNTIL.search(rule)
    if until is None:
        return rule, first
    if _COUNT.search(rule):
        raise field_error("schedule.rrule", "Give COUNT or UNTIL, not both (RFC 5545).")
    value = until.group(1).strip()
    if not _UNTIL_FORM.fullmatch(value):
        raise field_error(
            "schedule.rrule",
            "UNTIL must be a date (20260328), a local time (20260328T090000) or a UTC "
            f"time ending in Z (20260328T020000Z), not {value!r}.",
        )
    if value[-1] in "Zz":
        return rule, first.replace(tzinfo=WIB)
    if len(value) == 8:
        return f"{rule[: until.start(1)]}{value}T235959{rule[until.end(1) :]}", first
    return rule, first


def _starts(schedule: dict) -> list[dt.datetime]:
    """The local starts a schedule gives: its first, or its RRULE's (bounded)."""
    first = schedule["starts_at"].replace(second=0, microsecond=0)
    if not schedule.get("rrule"):
        return [first]
    text, dtstart = _as_until_says(schedule["rrule"], first)
    try:
        rule = rrulestr(text, dtstart=dtstart, forceset=False)
    except (ValueError, TypeError) as exc:
        raise field_error("schedule.rrule", f"Not an RFC 5545 RRULE: {exc}.") from exc
    if not getattr(rule, "_count", None) and not getattr(rule, "_until", None):
        raise field_error("schedule.rrule", "Give COUNT or UNTIL: a series must end.")
    starts = []
    for start in rule:
        starts.append(start.replace(tzinfo=None))  # WIB already: local, as stored
        if len(starts) > MAX_OCCURRENCES:
            raise field_error(
                "schedule.rrule", f"A series holds at most {MAX_OCCURRENCES} occurrences."
            )
    if not starts:
        raise field_error("schedule.rrule", "The rule gives no occurrence.")
    return starts


def _cohost_partners(session: Session, data: dict) -> tuple[int | None, dict[int, int]]:
    """Every partner named, each usable (an expired agreement stops new co-hosting),
    and the seats each keeps: the host's too (its key registers its people even when
    it keeps none)."""
    host = None
    seats: dict[int, int] = {}
    if data.get("host_partner_id"):
        host = usable_partner(session, data["host_partner_id"], "host_partner_id").seq
        seats[host] = data["host_seats"]
    elif data["host_seats"]:
        raise field_error("host_seats", "Seats kept for a host need a host_partner_id.")
    for i, cohost in enumerate(data["partners"]):
        partner = usable_partner(session, cohost["partner_id"], f"partners.{i}.partner_id")
        if partner.seq in seats:
            how = "the host" if partner.seq == host else "twice"
            raise field_error(f"partners.{i}.partner_id", f"{partner.id} is named {how}.")
        seats[partner.seq] = cohost["seats"]
    if sum(seats.values()) > data["capacity"]:
        raise field_error("partners", "The partners' seats are more than the capacity.")
    return host, seats


def _write(session: Session, programme: Programme, payload: dict, caller: Caller) -> None:
    """Check every name the payload uses, then write the programme whole."""
    data = load(programme_input, payload)
    branches.require(session, data["branch"])
    caller.require_branch(data["branch"])
    presenter = data.get("presenter") or {}
    if presenter.get("staff_id"):
        require_presenter(session, presenter["staff_id"], "presenter.staff_id")
    host, seats = _cohost_partners(session, data)
    opens, closes = data.get("registration_opens"), data.get("registration_closes")
    if opens and closes and closes <= opens:
        raise field_error("registration_closes", "Must be after registration_opens.")
    schedule = data.get("schedule")
    starts = _starts(schedule) if schedule else []
    programme.programme_type, programme.title = data["programme_type"], data["title"]
    programme.description, programme.audience = data.get("description"), data["audience"]
    programme.branch_code, programme.room = data["branch"], data.get("room")
    programme.capacity = data["capacity"]
    programme.registration_opens = opens and epoch_of(opens)
    programme.registration_closes = closes and epoch_of(closes)
    programme.presenter_staff_id = presenter.get("staff_id")
    programme.presenter_name = None if presenter.get("staff_id") else presenter.get("name")
    programme.host_partner_seq = host
    programme.quota_release_hours = data["quota_release_hours"]
    programme.first_start = schedule and schedule["starts_at"].replace(microsecond=0).isoformat()
    programme.duration_minutes = schedule and schedule["duration_minutes"]
    programme.rrule = schedule and schedule.get("rrule")
    programme.updated_at = time.time()
    session.add(programme)
    session.flush()
    session.execute(delete(CoHost).where(CoHost.programme_seq == programme.seq))
    session.execute(delete(Occurrence).where(Occurrence.programme_seq == programme.seq))
    session.add_all(
        CoHost(programme_seq=programme.seq, partner_seq=p, seats=s) for p, s in seats.items()
    )
    length = (schedule or {}).get("duration_minutes", 0) * 60
    for start in starts:
        begins = epoch_of(start)
        session.add(
            Occurrence(
                programme_seq=programme.seq,
                starts_at=begins,
                ends_at=begins + length,
                month=month_of(begins),
                room=programme.room,
            )
        )
    session.flush()


def _require_manager(caller: Caller, programme: Programme) -> None:
    caller.require_role("branch")
    caller.require_branch(programme.branch_code)


def create_programme(session: Session, payload: dict, caller: Caller) -> dict:
    caller.require_role("branch")
    programme = Programme(status="draft")
    _write(session, programme, payload, caller)
    return dump_programme(session, programme)


def replace_programme(session: Session, programme_id: str, payload: dict, caller: Caller) -> dict:
    """A draft is replaced whole; once published, people plan around it (occurrences
    are then changed one at a time)."""
    programme = find_programme(session, programme_id, for_update=True)
    _require_manager(caller, programme)
    if programme.status != "draft":
        raise Conflict(
            f"{programme.id} is {programme.status}; only a draft is replaced whole.",
            {"id": programme.id, "status": programme.status},
        )
    _write(session, programme, payload, caller)
    programme.version += 1
    return dump_programme(session, programme)


def published_data(session: Session, programme: Programme) -> dict:
    occurrences = occurrences_of(session, programme)
    return {
        "programme_id": programme.id,
        "title": programme.title,
        "programme_type": programme.programme_type,
        "audience": programme.audience,
        "branch": programme.branch_code,
        "starts_at": iso_local(occurrences[0].starts_at) if occurrences else None,
        "suggestion_id": programme.suggestion_id,
        "capacity": programme.capacity,
        "partners": [PARTNER_ID.format(p) for p in sorted(cohosts(session, programme))],
        "occurrences": len(occurrences),
    }


def transition(session: Session, programme_id: str, payload: dict, caller: Caller) -> dict:
    data = load(transition_input, payload)
    programme = find_programme(session, programme_id, for_update=True)
    _require_manager(caller, programme)
    wanted = data["to"]
    if wanted not in MOVES.get(programme.status, ()):
        raise Conflict(
            f"{programme.id} is {programme.status}; it cannot become {wanted}.",
            {"id": programme.id, "status": programme.status, "to": wanted},
        )
    if wanted == "published":
        if not occurrences_of(session, programme):
            raise Conflict(
                f"{programme.id} has no schedule yet: give it one before publishing.",
                {"id": programme.id, "field": "schedule"},
            )
        programme.status = "published"
        outbox.emit(
            session, "programme_published", programme.id, published_data(session, programme)
        )
    elif wanted == "cancelled":
        was_published = programme.status == "published"
        programme.status = "cancelled"
        told = 0
        for occurrence in occurrences_of(session, programme):
            if occurrence.status == "scheduled":
                told += cancel_occurrence(session, programme, occurrence, data.get("reason"))
        if was_published:
            outbox.emit(
                session,
                "programme_cancelled",
                programme.id,
                {
                    "programme_id": programme.id,
                    "title": programme.title,
                    "branch": programme.branch_code,
                    "reason": data.get("reason"),
                    "registrations": told,
                },
            )
    else:
        open_ones = [o.id for o in occurrences_of(session, programme) if o.status == "scheduled"]
        if open_ones:
            raise Conflict(
                f"{programme.id} still has occurrences to hold or cancel: {open_ones[:5]}.",
                {"id": programme.id, "occurrences": open_ones},
            )
        programme.status = "completed"
    programme.version += 1
    programme.updated_at = time.time()
    session.flush()
    return dump_programme(session, programme)


def cancel_occurrence(
    session: Session, programme: Programme, occurrence: Occurrence, reason: str | None
) -> int:
    """Cancel one occurrence and tell each of its registrants (an event each, which
    names no one). Returns how many were told."""
    occurrence.status, occurrence.updated_at = "cancelled", time.time()
    occurrence.sequence += 1
    active = active_registrations(session, occurrence)
    for registration in active:
        registration.status, registration.updated_at = "cancelled", time.time()
    session.flush()
    outbox.emit_many(
        session,
        [
            (
                "registration_cancelled",
                r.id,
                registration_event(programme, occurrence, r, reason or "occurrence_cancelled"),
            )
            for r in active
        ],
    )
    return len(active)


def tell_changed(session: Session, programme: Programme, changed: dict) -> None:
    """programme_changed for a published programme (a draft is nobody's news yet):
    which programme, and what of it changed."""
    if programme.status == "published":
        outbox.emit(
            session,
            "programme_changed",
            programme.id,
            {
                "programme_id": programme.id,
                "title": programme.title,
                "branch": programme.branch_code,
                **changed,
            },
        )


def change_occurrence(session: Session, occurrence_id: str, payload: dict, caller: Caller) -> dict:
    """Move one occurrence (another start, length or room), or cancel it alone."""
    data = load(occurrence_change, payload)
    occurrence = find_occurrence(session, occurrence_id, for_update=True)
    programme = session.get(Programme, occurrence.programme_seq)
    _require_manager(caller, programme)
    if occurrence.status != "scheduled" or programme.status in ("cancelled", "completed"):
        raise Conflict(
            f"{occurrence.id} is {occurrence.status} (its programme {programme.status}); "
            "it cannot change.",
            {"id": occurrence.id, "status": occurrence.status},
        )
    if data.get("status") == "cancelled":
        cancel_occurrence(session, programme, occurrence, data.get("reason"))
    else:
        length = occurrence.ends_at - occurrence.starts_at
        if "duration_minutes" in data:
            length = data["duration_minutes"] * 60
        if "starts_at" in data:
            occurrence.starts_at = epoch_of(data["starts_at"].replace(microsecond=0))
            occurrence.month = month_of(occurrence.starts_at)
        occurrence.ends_at = occurrence.starts_at + length
        if "room" in data:
            occurrence.room = data["room"]
        occurrence.sequence += 1
        occurrence.updated_at = time.time()
        session.flush()
        schedule_reminders(session, occurrence)
    tell_changed(
        session,
        programme,
        {
            "occurrence_id": occurrence.id,
            "starts_at": iso_local(occurrence.starts_at),
            "status": occurrence.status,
            "sequence": occurrence.sequence,
        },
    )
    counted = counts(session, [occurrence.seq])[occurrence.seq]
    return dump_occurrence(occurrence, programme, counted, time.time())


def get_programme(session: Session, programme_id: str, caller: Caller) -> dict:
    """Any key reads a published programme; a draft is its branch's and headquarters'."""
    programme = find_programme(session, programme_id)
    if programme.status == "draft":
        _require_manager(caller, programme)
    return dump_programme(session, programme)


def public_programme(session: Session, programme_id: str) -> dict:
    """A programme as its public page shows it: drafts are no one's to see."""
    programme = find_programme(session, programme_id)
    if programme.status == "draft":
        raise NotFound(f"No programme {programme_id!r}.", {"id": programme_id})
    return dump_programme(session, programme)


def list_programmes(session: Session, params: dict, caller: Caller) -> dict:
    """Newest first, a page at a time. A branch key's drafts are its own; other
    keys see no drafts."""
    query = load(programme_query, params)
    stmt = select(Programme)
    if "status" in query:
        stmt = stmt.where(Programme.status == query["status"])
    if "branch" in query:
        stmt = stmt.where(Programme.branch_code == query["branch"])
    if caller.role == "branch":
        stmt = stmt.where((Programme.status != "draft") | (Programme.branch_code == caller.branch))
    elif not caller.is_admin:
        stmt = stmt.where(Programme.status != "draft")
    rows, cursor = NEWEST.fetch(session, stmt, query["limit"], query.get("cursor"))
    return {"items": [dump_programme(session, p) for p in rows], "next_cursor": cursor}


def suggestion_approved(session: Session, data: dict) -> None:
    """A community idea the library approved becomes a draft programme at its branch,
    once however often the event arrives (its suggestion id is kept, unique). Ideas
    for the collection, and ideas that name no branch we know, are not ours."""
    if data.get("kind") != "programme" or not data.get("branch"):
        return
    if session.scalar(
        select(Programme.seq).where(Programme.suggestion_id == data["suggestion_id"])
    ):
        return
    if session.get(Branch, data["branch"]) is None:
        return
    programme_type = data.get("programme_type")
    audience = data.get("audience")
    session.add(
        Programme(
            programme_type=programme_type if programme_type in PROGRAMME_TYPES else "other",
            title=data["title"][:300],
            description=None,
            audience=audience if audience in AUDIENCES else "all_ages",
            branch_code=data["branch"],
            capacity=30,
            status="draft",
            suggestion_id=data["suggestion_id"],
        )
    )
    session.flush()


def local_day_bounds(start: dt.date, end: dt.date) -> tuple[float, float]:
    """[start 00:00, end+1 00:00) WIB as epoch seconds."""
    first = dt.datetime.combine(start, dt.time())
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    return epoch_of(first), epoch_of(after)
