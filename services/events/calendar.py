"""The calendar: occurrences of published programmes by date range, branch, audience
and type (JSON, a page at a time), and the iCalendar feed that calendar apps
subscribe to, for all branches or one.

The feed is RFC 5545: each occurrence is a VEVENT whose UID is its id (stable
across edits), whose SEQUENCE its count of changes, cancelled ones STATUS:CANCELLED,
times in Asia/Jakarta with the zone's VTIMEZONE."""

from __future__ import annotations

import datetime as dt
import time

from icalendar import Calendar, Event, Timezone
from sqlalchemy import select
from sqlalchemy.orm import Session

from chassis.branches import BRANCH_CODE
from chassis.errors import NotFound, field_error
from chassis.pagination import Bounds, Key, Keyset
from chassis.schemas import load

from .contract import CalendarQuery
from .models import Branch, Occurrence, Programme
from .programmes import counts, dump_occurrence, local_day_bounds
from .times import WIB, local, today

calendar_query = CalendarQuery()
SOONEST = Keyset(Key(Occurrence.starts_at, Bounds((int, float), 0, 2**53)), Occurrence.seq)
FEED_DAYS_BEFORE = 31  # a feed holds the last month and what is to come
FEED_MAX = 2000
UID_DOMAIN = "pustaka.sungaipenuhkota.go.id"


def _listed(stmt, include_cancelled: bool = True):
    stmt = stmt.join(Programme, Programme.seq == Occurrence.programme_seq).where(
        Programme.status.in_(("published", "completed", "cancelled"))
    )
    if not include_cancelled:
        stmt = stmt.where(Occurrence.status != "cancelled")
    return stmt


def calendar(session: Session, params: dict, now: float | None = None) -> dict:
    """What is on, soonest first: from `start` (default today) to `end`. Each says
    whether it takes registrations at `now` (default: the clock's): one that has
    started is still listed, as `scheduled` until it is completed, but not as open."""
    now = time.time() if now is None else now
    query = load(calendar_query, params)
    start = query.get("start") or local(now).date()
    end = query.get("end") or start + dt.timedelta(days=366)
    if (end - start).days > 366:
        raise field_error("end", "A range of at most 366 days.")
    low, high = local_day_bounds(start, end)
    stmt = _listed(select(Occurrence, Programme), query["include_cancelled"]).where(
        Occurrence.starts_at >= low, Occurrence.starts_at < high
    )
    for name, column in (
        ("branch", Programme.branch_code),
        ("audience", Programme.audience),
        ("programme_type", Programme.programme_type),
    ):
        if name in query:
            stmt = stmt.where(column == query[name])
    rows, cursor = SOONEST.fetch(session, stmt, query["limit"], query.get("cursor"))
    counted = counts(session, [o.seq for o, _ in rows])
    return {
        "items": [dump_occurrence(o, p, counted[o.seq], now) for o, p in rows],
        "next_cursor": cursor,
    }


def _timezone() -> Timezone:
    """Asia/Jakarta as a VTIMEZONE: UTC+7, no daylight saving since 1964."""
    return Timezone.from_tzinfo(WIB)


def calendar_feed(session: Session, branch: str | None, base_url: str = "") -> dict:
    if branch and not (BRANCH_CODE.match(branch) and session.get(Branch, branch)):
        raise NotFound(f"No branch {branch!r}.", {"branch": branch})
    since = dt.datetime.combine(today() - dt.timedelta(days=FEED_DAYS_BEFORE), dt.time())
    stmt = _listed(select(Occurrence, Programme)).where(
        Occurrence.starts_at >= since.replace(tzinfo=WIB).timestamp()
    )
    if branch:
        stmt = stmt.where(Programme.branch_code == branch)
    stmt = stmt.order_by(Occurrence.starts_at, Occurrence.seq).limit(FEED_MAX)
    feed = Calendar()
    feed.add("prodid", "-//Perpustakaan Kota Sungai Penuh//Pustaka//ID")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add(
        "x-wr-calname", f"Agenda Perpustakaan Kota Sungai Penuh{' ' + branch if branch else ''}"
    )
    feed.add("x-wr-timezone", "Asia/Jakarta")
    feed.add_component(_timezone())
    for occurrence, programme in session.execute(stmt):
        event = Event()
        event.add("uid", f"{occurrence.id}@{UID_DOMAIN}")
        event.add("sequence", occurrence.sequence)
        event.add("dtstamp", dt.datetime.fromtimestamp(occurrence.updated_at, dt.UTC))
        event.add("last-modified", dt.datetime.fromtimestamp(occurrence.updated_at, dt.UTC))
        event.add("dtstart", local(occurrence.starts_at))
        event.add("dtend", local(occurrence.ends_at))
        event.add("summary", programme.title)
        if programme.description:
            event.add("description", programme.description)
        room = occurrence.room or programme.room
        event.add("location", f"{programme.branch_code}{' - ' + room if room else ''}")
        event.add("categories", [programme.programme_type, programme.audience])
        cancelled = occurrence.status == "cancelled" or programme.status == "cancelled"
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        if base_url:
            event.add("url", f"{base_url.rstrip('/')}/acara/{programme.id}")
        feed.add_component(event)
    return {"ical": feed.to_ical().decode()}
