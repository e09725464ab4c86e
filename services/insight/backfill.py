"""Rebuilding the read models from their owners' current state: a new deployment, or
a fix to how a figure is counted, reads each service's records a page at a time
through its contract's RPC methods (each lists insight among its callers), replaces
the rows of what it read, and then the events keep them, as they keep the rows
built event by event: both write the same rows, keyed by the records' own ids.

What the services' contracts let a rebuild read: the catalogue's branches, titles
and their copies per branch, and each copy with its status and when it was added;
people's staff and its positions' required levels (the built-in ones, set by its
migration, reach insight only this way); feedback's campaigns with the summary each
published when it closed, tickets and suggestions. What they do not (kept as the
events built them, and named in `KEPT`): a programme's completions, certificates and
competencies (people lists them per person and year, not as records), community
programmes' attendance (events gives sums only), and the month a suggestion was
fulfilled.

No network I/O inside a transaction: each page is read first, then written in a
transaction of its own; the old rows of a model are cleared in the first page's.
A page's rows are set, not added to (merge): an event applied between the clear and
its record's page is overwritten by the state that includes it. One rebuild at a
time (a lease, RebuildLease): two at once, an admin's and a process's first, each
write the state it read, and the one that read earlier could write its pages last,
over the events applied meanwhile. Each page's transaction renews the lease, or
stops the rebuild if another took it over (after LEASE_SECONDS without a page: its
holder died). Left open: a copy added between a page's read and its write is
counted by its event, then set back.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterator

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from chassis.db import DatabaseSession
from chassis.errors import Conflict
from chassis.times import iso_time

from .calendar import month_of, month_of_time
from .counting import add
from .models import (
    Campaign,
    Copy,
    Holding,
    RebuildLease,
    Requirement,
    SourceMark,
    Staff,
    Suggestion,
    Ticket,
    Title,
    branches,
)
from .readmodel import summarized
from .versions import wrote

Call = Callable[..., dict]  # call(service, method, *args): the result
KEPT = (
    "completions",
    "certificates",
    "attainments",
    "occurrences",
    "attendees",
    "suggestions.fulfilled_month",
)
LEASE_SECONDS = 120.0  # a rebuild that writes no page for this long is taken over
WAIT_SECONDS = 300.0  # how long an admin's rebuild waits for one under way to end


def pages(call: Call, service: str, method: str, query: dict, size: int) -> Iterator[list]:
    """Each page of a keyset-paged list, until its last."""
    cursor = None
    while True:
        page = call(service, method, {**query, "limit": size, "cursor": cursor})
        yield page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            return


class Lease:
    """This rebuild's hold on RebuildLease's one row."""

    def __init__(self, db: DatabaseSession, clock: Callable[[], float] = time.time):
        self.db, self.clock = db, clock
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    def take(self, wait: float) -> None:
        """Hold it, waiting up to `wait` seconds for a rebuild under way to end;
        Conflict if it has not."""
        give_up = self.clock() + wait
        while True:
            with self.db.transaction() as session:
                lease = session.get(RebuildLease, 1, with_for_update=True)
                now = self.clock()
                if lease.until <= now:
                    lease.holder, lease.until = self.holder, now + LEASE_SECONDS
                    return
                ends = lease.until
            if self.clock() >= give_up:
                raise Conflict(
                    "A rebuild of the read models is under way; ask again when it has ended.",
                    {"lease_until": iso_time(ends)},
                )
            time.sleep(min(0.5, max(0.0, give_up - self.clock())))

    def renew(self, session: Session) -> None:
        """In a page's transaction: hold on, or stop if another rebuild took over."""
        lease = session.get(RebuildLease, 1, with_for_update=True)
        if lease.holder != self.holder:
            raise Conflict("Another rebuild took this one's place: it stopped.")
        lease.until = self.clock() + LEASE_SECONDS

    def release(self) -> None:
        with self.db.transaction() as session:
            lease = session.get(RebuildLease, 1, with_for_update=True)
            if lease.holder == self.holder:
                lease.until = 0.0


def _replace(
    db: DatabaseSession,
    lease: Lease,
    source: str,
    models: tuple,
    batches: Iterator[list],
    write,
) -> int:
    """Clear `models` with the first batch, write each batch in a transaction, each
    after `source`'s events applied at that moment (readmodel.apply)."""
    count, first = 0, True
    for batch in batches:
        with db.transaction() as session:
            lease.renew(session)
            wrote(session)
            _after_events(session, source)
            if first:
                for model in models:
                    session.execute(delete(model))
                first = False
            for record in batch:
                write(session, record)
            count += len(batch)
    if first:  # the owner has none: the model is empty too
        with db.transaction() as session:
            lease.renew(session)
            wrote(session)
            _after_events(session, source)
            for model in models:
                session.execute(delete(model))
    return count


def _after_events(session: Session, source: str) -> None:
    """Hold `source`'s mark until the commit, as an event's transaction does: a page's
    records are never made beside the same records an event is making."""
    add(session, SourceMark, {"source": source}, "events", 0)


def rebuild(db: DatabaseSession, call: Call, size: int = 100, wait: float = WAIT_SECONDS) -> dict:
    """Rebuild once any rebuild under way has ended (Conflict if it has not within
    `wait` seconds), holding the lease from before the first read to the end."""
    lease = Lease(db)
    lease.take(wait)
    try:
        return _rebuild(db, lease, call, size)
    finally:
        lease.release()


def _rebuild(db: DatabaseSession, lease: Lease, call: Call, size: int) -> dict:
    # The moment of the state read: an event of a change before it is in the rows
    # (readmodel.read_by_rebuild), so its late delivery counts nothing again.
    started = time.time()
    counts = {}
    found = call("catalog", "list_branches")  # a list, every branch (a handful)
    with db.transaction() as session:
        lease.renew(session)
        wrote(session)
        _after_events(session, "catalog")
        for branch in found:
            branches.seen(session, {"code": branch["code"], "name": branch["name"]})
    counts["branches"] = len(found)
    # (its count's name, the owner, the rows it replaces, the owner's list and its
    # query, how one record is written), in the order they are read
    replaced = (
        ("titles", "catalog", (Title, Holding), "search_titles", {"q": ""}, _title),
        ("copies", "catalog", (Copy,), "list_items", {}, _copy),
        ("staff", "people", (Staff,), "list_staff", {}, _staff),
        ("requirements", "people", (Requirement,), "list_requirements", {}, _requirement),
        ("campaigns", "feedback", (Campaign,), "list_campaigns", {}, _campaign),
        ("tickets", "feedback", (Ticket,), "list_tickets", {}, _ticket),
    )
    for name, source, models, method, query, write in replaced:
        records = pages(call, source, method, query, size)
        counts[name] = _replace(db, lease, source, models, records, write)
    suggestions = pages(call, "feedback", "list_suggestions", {}, size)
    counts["suggestions"] = _suggestions(db, lease, suggestions)
    with db.transaction() as session:
        lease.renew(session)
        for source in ("catalog", "people", "feedback"):
            _after_events(session, source)
            session.get(SourceMark, source).rebuilt_at = started
    return {"records": counts, "rebuilt_at": iso_time(started)}


def _title(session: Session, title: dict) -> None:
    if title.get("withdrawn"):
        return  # as title_withdrawn removes it
    session.merge(
        Title(
            id=title["id"],
            material_type=title["material_type"],
            from_suggestion=bool(title.get("acquisition_ref")),
            month=month_of_time(title["created_at"]),
        )
    )
    for copies in title.get("availability") or []:
        held = Holding(title_id=title["id"], branch=copies["branch"], copies=copies["total"])
        session.merge(held)


def _copy(session: Session, item: dict) -> None:
    session.merge(
        Copy(
            barcode=item["barcode"],
            title_id=item["title_id"],
            branch=item["branch"],
            status=item["status"],
            status_at=_epoch(item["updated_at"]),
            month=month_of_time(item["created_at"]),
        )
    )


def _requirement(session: Session, found: dict) -> None:
    session.merge(
        Requirement(
            position=found["position"], competency=found["competency"], level=found["level"]
        )
    )


def _campaign(session: Session, found: dict) -> None:
    campaign = Campaign(
        id=found["id"],
        branch=found.get("branch"),
        template=found["template"],
        month=found["opens_on"][:7],  # its day, YYYY-MM-DD
    )
    if found.get("result"):  # closed: the summary it published
        summarized(campaign, found["result"])
    session.merge(campaign)


def _staff(session: Session, staff: dict) -> None:
    session.merge(
        Staff(
            id=staff["id"],
            branch=staff["branch"],
            position=staff["position"],
            active=staff["active"],
        )
    )


def _ticket(session: Session, ticket: dict) -> None:
    opened = _epoch(ticket["opened_at"])
    answered = _epoch(ticket["resolved_at"]) if ticket.get("resolved_at") else None
    session.merge(
        Ticket(
            id=ticket["id"],
            branch=ticket["branch"],
            category=ticket["category"],
            month=month_of(opened),
            status=ticket["status"],
            # as feedback's ticket_resolved counts them
            days=round((answered - opened) / 86400, 2) if answered is not None else None,
            answered_month=month_of(answered) if answered is not None else None,
        )
    )


def _suggestions(db: DatabaseSession, lease: Lease, batches: Iterator[list]) -> int:
    """Suggestions replaced, each keeping the month it was fulfilled in as its event
    told it (the contract gives no date of fulfilment)."""
    with db.reading() as session:
        fulfilled = dict(session.execute(select(Suggestion.id, Suggestion.fulfilled_month)).all())

    def write(session: Session, s: dict) -> None:
        session.merge(
            Suggestion(
                id=s["id"],
                kind=s["kind"],
                branch=s.get("branch"),
                month=s["submitted_on"][:7],  # its day, YYYY-MM-DD
                fulfilled_month=fulfilled.get(s["id"]) if s["status"] == "fulfilled" else None,
            )
        )

    return _replace(db, lease, "feedback", (Suggestion,), batches, write)


def _epoch(text: str) -> float:
    return dt.datetime.fromisoformat(text).timestamp()
