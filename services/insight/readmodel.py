"""The other services' records as insight keeps them: one function per event it
reads, each given the event's data (as its contract's schema read it) and the time
the event happened (its envelope's `time`), and run once per event (DatabaseSession.apply_once).

Each keeps one row per record, keyed by the record's own id, so a rebuild from the
owner's current state (backfill.py) lands on the same rows. Copies are kept twice:
as counts per title and branch (holdings, every copy the catalogue lists, as its
availability totals do: the copies by type), and one row per copy (copies: its status
and the month it was added in, for the copies added and held).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from functools import cache
from itertools import groupby

from sqlalchemy import case, delete, func, or_, update
from sqlalchemy.orm import Session

from chassis.bulk import insert_missing, upsert_rows

from .calendar import month_of_day, month_of_time
from .counting import INSERTS, add_many
from .models import (
    Attainment,
    Attendee,
    Campaign,
    Certificate,
    Completion,
    Copy,
    Holding,
    Occurrence,
    Requirement,
    SourceMark,
    Staff,
    Suggestion,
    Ticket,
    Title,
    branches,
)

DAY = 86400.0


REBUILT_AT = "insight.rebuilt_at"  # session.info: each source marked, its rebuild's time


def mark(session: Session, source: str, event_times: list[str]) -> None:
    """More events of `source` applied, and when the newest happened (freshness):
    one statement, as counting.add's, since every event of a source marks one row."""
    at = max(dt.datetime.fromisoformat(t).timestamp() for t in event_times)
    rebuilt_at = session.execute(
        _marking(session.get_bind().dialect.name),
        {"source": source, "events": len(event_times), "last_event_at": at},
    ).scalar_one()
    # Kept for read_by_rebuild: the row is held by this transaction from here on.
    session.info.setdefault(REBUILT_AT, {})[source] = rebuilt_at


@cache
def _marking(dialect: str):
    table = SourceMark.__table__
    insert = INSERTS[dialect](table)
    last, told = table.c.last_event_at, insert.excluded.last_event_at
    return insert.on_conflict_do_update(
        index_elements=["source"],
        set_={
            "events": table.c.events + insert.excluded.events,
            "last_event_at": case((or_(last.is_(None), last < told), told), else_=last),
        },
    ).returning(table.c.rebuilt_at)


# -- catalog ----------------------------------------------------------------------------------
def branch_seen(session: Session, data: dict, at: str) -> None:
    branches.seen(session, data)


def title_row(data: dict, at: str) -> dict:
    created = data.get("created_at")
    return {
        "id": data["id"],
        "material_type": data["material_type"],
        "from_suggestion": bool(data.get("acquisition_ref")),
        "month": month_of_time(created) if created else month_of_time(at),
    }


def title_withdrawn(session: Session, data: dict, at: str) -> None:
    # Its copies go with it (the figures, which join the title, would not count them);
    # the catalogue withdraws each of them at the title's time, telling no item event.
    session.execute(delete(Title).where(Title.id == data["id"]))
    session.execute(delete(Holding).where(Holding.title_id == data["id"]))
    when = _epoch(data.get("updated_at") or at)
    session.execute(
        update(Copy)
        .where(Copy.title_id == data["id"], Copy.status_at < when)
        .values(status="withdrawn", status_at=when)
    )


def items_added(session: Session, events: list[dict]) -> None:
    """item_added, for a run of them: their copies' rows in one statement (one more
    from a copy told again), their holdings counted in one."""
    rows, held = [], Counter()
    for event in events:
        data, at = event["data"], event["time"]
        if (row := copy_row(data, at)) is not None:
            added = data.get("created_at") or data.get("updated_at") or at  # equal at its adding
            rows.append({**row, "month": month_of_time(added)})
        # A count, not a row per record: a copy added before the catalogue's last
        # rebuild read it is in that rebuild's totals already, however late its event
        # comes (the demo's events at a first start, a queue that was backed up).
        if not read_by_rebuild(session, "catalog", at):
            held[data["title_id"], data["branch"]] += 1
    for distinct in _distinct(rows, ("barcode",)):
        _copies_put(session, distinct)
    counts = [{"title_id": t, "branch": b, "copies": n} for (t, b), n in held.items()]
    add_many(session, Holding, counts, "copies")


def copy_row(data: dict, at: str) -> dict | None:
    """A copy's row (None: the event names no barcode): its status as of the latest
    time told (queues keep no order between event types, and a rebuild's row may be
    newer than a late event); the month it was added in, once item_added tells it.

    Left open: an item_added delivered after its title's title_withdrawn makes a copy
    as it was added (held); the next rebuild sets it withdrawn."""
    # Every item has each of these (the producer's schema promises none): an event
    # without its title or branch is refused, and parked naming what it lacks; one
    # without a barcode can be no copy's row (its holding is counted still).
    title_id, branch = data["title_id"], data["branch"]
    barcode = data.get("barcode")
    if not barcode:
        return None
    return {
        "barcode": barcode,
        "title_id": title_id,
        "branch": branch,
        "status": data["status"],
        "status_at": _epoch(data.get("updated_at") or at),
    }


@cache
def _copy_putting(dialect: str, with_month: bool):
    """A copy's row in one statement: made, or its title and branch set, and its
    status only if the one told is newer (both databases evaluate every SET
    expression on the row as it was)."""
    table = Copy.__table__
    insert = INSERTS[dialect](table)
    newer = insert.excluded.status_at > table.c.status_at
    changes = {
        "title_id": insert.excluded.title_id,
        "branch": insert.excluded.branch,
        "status": case((newer, insert.excluded.status), else_=table.c.status),
        "status_at": case((newer, insert.excluded.status_at), else_=table.c.status_at),
    }
    if with_month:
        changes["month"] = insert.excluded.month
    return insert.on_conflict_do_update(index_elements=["barcode"], set_=changes)


def _epoch(when: dt.datetime | str) -> float:
    if isinstance(when, str):
        when = dt.datetime.fromisoformat(when)
    return when.timestamp()


def read_by_rebuild(session: Session, source: str, event_time: str) -> bool:
    """Whether the change an event tells of happened before the last rebuild began
    reading `source`'s state (both times on the platform's clocks)."""
    marked = session.info.get(REBUILT_AT, {})
    if source in marked:  # this transaction marked the source: no second read
        started = marked[source]
    else:
        mark_row = session.get(SourceMark, source)
        started = mark_row.rebuilt_at if mark_row else None
    return started is not None and dt.datetime.fromisoformat(event_time).timestamp() < started


# -- people -----------------------------------------------------------------------------------
def staff_row(data: dict, at: str) -> dict:
    return {k: data[k] for k in ("id", "branch", "position", "active")}


def training_completed(session: Session, data: dict, at: str) -> None:
    key = (data["programme_id"], data["staff_id"])
    done = session.get(Completion, key) or Completion(programme_id=key[0], staff_id=key[1])
    done.branch, done.kind, done.hours = data["branch"], data["kind"], data["hours"]
    done.month = month_of_day(data["completed_on"])
    session.add(done)


def certificate_issued(session: Session, data: dict, at: str) -> None:
    # The event names no day of issue: the month it was published in (`at`) stands for it.
    found = session.get(Certificate, data["code"])
    if found is None:
        session.add(
            Certificate(
                code=data["code"],
                staff_id=data["staff_id"],
                month=month_of_time(at),
                revoked=bool(data.get("revoked_at")),
            )
        )


def certificate_revoked(session: Session, data: dict, at: str) -> None:
    found = session.get(Certificate, data["code"]) or Certificate(
        code=data["code"], staff_id=data["staff_id"], month=month_of_time(at)
    )
    found.revoked = True
    session.add(found)


def competency_attained(session: Session, data: dict, at: str) -> None:
    key = (data["staff_id"], data["competency"], data["level"])
    if session.get(Attainment, key) is None:
        session.add(
            Attainment(
                staff_id=key[0],
                competency=key[1],
                level=key[2],
                month=month_of_day(data["attained_on"]),
            )
        )


def requirement_changed(session: Session, data: dict, at: str) -> None:
    key = (data["position"], data["competency"])
    found = session.get(Requirement, key)
    if data["level"] <= 0:
        if found is not None:
            session.delete(found)
        return
    found = found or Requirement(position=key[0], competency=key[1])
    found.level = data["level"]
    session.add(found)


# -- events -----------------------------------------------------------------------------------
def event_completed(session: Session, data: dict, at: str) -> None:
    row = {
        "id": data["occurrence_id"],
        "programme_id": data["programme_id"],
        "branch": data["branch"],
        "programme_type": data["programme_type"],
        "audience": data["audience"],
        "month": month_of_time(data["ends_at"]),
        "registered": data["registered"],
        "attended": data["attended"],
        "walk_ins": data["walk_ins"],
        "no_shows": data["no_shows"],
        "partnered": bool(data["partners"]),
    }
    upsert_rows(session, Occurrence.__table__, [row])


def attendance_recorded(session: Session, data: dict, at: str) -> None:
    row = {
        "registration_id": data["registration_id"],
        "occurrence_id": data["occurrence_id"],
        "branch": data["branch"],
        "age_group": data.get("age_group") or "unknown",
        "walk_in": data["walk_in"],
    }
    insert_missing(session, Attendee.__table__, [row])  # the first told stands


# -- feedback ---------------------------------------------------------------------------------
def _campaign(session: Session, campaign_id: str) -> Campaign:
    return session.get(Campaign, campaign_id) or Campaign(id=campaign_id)


def survey_opened(session: Session, data: dict, at: str) -> None:
    campaign = _campaign(session, data["campaign_id"])
    campaign.branch, campaign.template = data.get("branch"), data["template"]
    campaign.month = month_of_day(data["opens_on"])
    session.add(campaign)


def evaluation_summarized(session: Session, data: dict, at: str) -> None:
    campaign = _campaign(session, data["campaign_id"])
    summarized(campaign, data)
    session.add(campaign)


def summarized(campaign: Campaign, summary: dict) -> None:
    """A campaign's result as its summary tells it (the event's data, or the summary
    a rebuild reads from feedback's list of campaigns)."""
    campaign.responses, campaign.nps = summary["responses"], summary.get("nps")
    campaign.satisfaction_index = summary.get("satisfaction_index")
    campaign.satisfaction_grade = summary.get("satisfaction_grade")
    campaign.adequacy_gaps = adequacy_gaps(summary.get("libqual"))


def adequacy_gaps(dimensions: list | None) -> dict | None:
    """{dimension: perceived - minimum} of the dimensions with one (None: no LibQUAL+)."""
    gaps = {
        d["dimension"]: d["adequacy_gap"]
        for d in dimensions or []
        if d.get("dimension") and d.get("adequacy_gap") is not None
    }
    return gaps or None


def ticket_opened_row(data: dict, at: str) -> dict:
    return {
        "id": data["ticket_id"],
        "branch": data["branch"],
        "category": data["category"],
        "month": month_of_time(data.get("opened_at") or at),
        "status": "received",
    }


def ticket_resolved(session: Session, data: dict, at: str) -> None:
    ticket = session.get(Ticket, data["ticket_id"]) or Ticket(
        id=data["ticket_id"], branch=data["branch"], category=data["category"]
    )
    ticket.status, ticket.days = data["status"], data["days"]
    ticket.answered_month = month_of_time(data.get("resolved_at") or at)
    if ticket.month is None:  # it was opened `days` before it was answered
        opened = dt.datetime.fromisoformat(at).timestamp() - data["days"] * DAY
        ticket.month = month_of_time(dt.datetime.fromtimestamp(opened, dt.UTC))
    session.add(ticket)


def suggestion_seen(session: Session, data: dict, at: str) -> None:
    submitted, fulfilled = bool(data.get("submitted_on")), data["status"] == "fulfilled"
    row = {
        "id": data["suggestion_id"],
        "kind": data["kind"],
        "branch": data.get("branch"),
        # An event from before submitted_on was added: the month it was told in, if
        # no other is known.
        "month": month_of_day(data["submitted_on"]) if submitted else month_of_time(at),
        "fulfilled_month": month_of_time(at) if fulfilled else None,
    }
    session.execute(_suggestion_putting(session.get_bind().dialect.name, submitted, fulfilled), row)


@cache
def _suggestion_putting(dialect: str, submitted: bool, fulfilled: bool):
    """A suggestion's row in one statement: its kind and branch as told, its month
    as told (else kept, if known), its month of fulfilment once it is fulfilled."""
    table = Suggestion.__table__
    insert = INSERTS[dialect](table)
    told = insert.excluded
    changes = {
        "kind": told.kind,
        "branch": told.branch,
        "month": told.month if submitted else func.coalesce(table.c.month, told.month),
        "fulfilled_month": told.fulfilled_month if fulfilled else table.c.fulfilled_month,
    }
    return insert.on_conflict_do_update(index_elements=["id"], set_=changes)


def _upserts(table, keep: tuple[str, ...] = ()) -> Callable[[Session, list[dict]], None]:
    """Rows put by an upsert that sets all but `keep` of a row already there."""
    return lambda session, rows: upsert_rows(session, table, rows, keep=keep)


def _copies_put(session: Session, rows: list[dict]) -> None:
    """Copies' rows of distinct barcodes, all with their month (item_added) or none."""
    with_month = "month" in rows[0]
    session.execute(_copy_putting(session.get_bind().dialect.name, with_month), rows)


# The effects that put one row an event (or none), one statement each: (source,
# event type) -> (its table, its row (None: none), how rows are put). A group's run
# of such events of one type is put in one statement (apply_events).
_TITLES = (Title.__table__, title_row, _upserts(Title.__table__, ("month",)))  # its first
_STAFF = (Staff.__table__, staff_row, _upserts(Staff.__table__))
ROWS = {
    ("catalog", "title_created"): _TITLES,
    ("catalog", "title_updated"): _TITLES,
    ("catalog", "item_status_changed"): (Copy.__table__, copy_row, _copies_put),
    ("people", "staff_registered"): _STAFF,
    ("people", "staff_changed"): _STAFF,
    # Answered first (queues keep no order between types): only its own month is set.
    ("feedback", "ticket_opened"): (
        Ticket.__table__,
        ticket_opened_row,
        _upserts(Ticket.__table__, ("branch", "category", "status")),
    ),
}


def put_rows(session: Session, kind: tuple[str, str], events: list[dict]) -> None:
    """The rows of `events`, all of `kind` (one of ROWS), as their effects one by one
    would leave them: in one statement, or one more from each row whose key came
    before (an upsert of many rows cannot change one twice)."""
    table, row_of, put = ROWS[kind]
    rows = [row for e in events if (row := row_of(e["data"], e["time"])) is not None]
    for distinct in _distinct(rows, [c.name for c in table.primary_key]):
        put(session, distinct)


def _distinct(rows: list[dict], key) -> Iterator[list[dict]]:
    """`rows` in order, cut before each row whose key came before in its part."""
    part, seen = [], set()
    for row in rows:
        if (known := tuple(row[k] for k in key)) in seen:
            yield part
            part, seen = [], set()
        part.append(row)
        seen.add(known)
    if part:
        yield part


def _putting_rows(kind: tuple[str, str]):
    return lambda session, events: put_rows(session, kind, events)


# (source, event type) -> its effect on a run of its events, each in one statement or
# two (apply_events)
RUNS = {
    **{kind: _putting_rows(kind) for kind in ROWS},
    ("catalog", "item_added"): items_added,
}


def _one_of(run):
    return lambda session, data, at: run(session, [{"data": data, "time": at}])


# (source, event type) -> its effect
EFFECTS = {
    **{kind: _one_of(run) for kind, run in RUNS.items()},
    ("catalog", "branch_updated"): branch_seen,
    ("catalog", "title_withdrawn"): title_withdrawn,
    ("people", "training_completed"): training_completed,
    ("people", "certificate_issued"): certificate_issued,
    ("people", "certificate_revoked"): certificate_revoked,
    ("people", "competency_attained"): competency_attained,
    ("people", "requirement_changed"): requirement_changed,
    ("events", "event_completed"): event_completed,
    ("events", "attendance_recorded"): attendance_recorded,
    ("feedback", "survey_opened"): survey_opened,
    ("feedback", "evaluation_summarized"): evaluation_summarized,
    ("feedback", "ticket_resolved"): ticket_resolved,
    ("feedback", "suggestion_submitted"): suggestion_seen,
    ("feedback", "suggestion_fulfilled"): suggestion_seen,
}


def apply(session: Session, source: str, event_type: str, event: dict) -> None:
    """One event's mark of freshness and its effect, in the caller's transaction.
    The mark first: it holds the source's row until the commit, so two events of one
    source (two replicas, two handlers) are applied one after the other on PostgreSQL
    too, and an effect that finds its record missing and makes it never meets another
    making it (each source writes rows of its own; SQLite's writers wait anyway)."""
    mark(session, source, [event["time"]])
    EFFECTS[(source, event_type)](session, event["data"], event["time"])


def source_of(event: dict) -> str:
    """The service an event comes from (its envelope's type, "catalog.title_created")."""
    return event["type"].partition(".")[0]


def apply_events(session: Session, events: list[dict]) -> None:
    """Events of any sources in one transaction (the service's grouped handlers), in
    the order given: sorted by source (source_of). Each source's row is marked
    first, once for all its events, in that order in every replica (as `apply`)."""
    times: dict[str, list[str]] = {}
    for event in events:
        times.setdefault(source_of(event), []).append(event["time"])
    for source, event_times in times.items():
        mark(session, source, event_times)
    # A run of events of one type with an effect on runs (RUNS): a statement or two.
    for event_type, run in groupby(events, key=lambda event: event["type"]):
        kind = tuple(event_type.split(".", 1))
        if kind in RUNS:
            RUNS[kind](session, list(run))
            continue
        for event in run:
            EFFECTS[kind](session, event["data"], event["time"])
