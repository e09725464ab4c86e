"""Writing at once (SQLite, then PostgreSQL): events counted into the same rows by
handlers running together, as two replicas' would, and visitors entered at one
branch's door at the same moment, end exact: none lost, none doubled, no insert
refused by the row another transaction was making (services/insight/counting.py);
events of one record and hand counts of one day at once end whole (readmodel.apply
and the visitors' book hold their mark until they commit)."""

import datetime as dt

import eventlet
import pytest
from sqlalchemy import select

from chassis.envelope import make_envelope
from services.insight import readmodel, visits
from services.insight.models import (
    Copy,
    Holding,
    SourceMark,
    Suggestion,
    Ticket,
    Title,
    VisitTally,
)
from tests.support import round_trips

from .helpers import KMN, NOW, read, run

AT_ONCE = 20  # within the engine's pool (10 and 10 more), so each has a connection


def at_once(calls) -> list:
    """Each call in a green thread of its own, all started together (psycopg2 yields
    while it waits for the server, so the transactions overlap)."""
    pool = eventlet.GreenPool(len(calls))
    threads = [pool.spawn(call) for call in calls]
    return [t.wait() for t in threads]


def test_copies_and_visits_counted_at_once_into_one_row_are_exact(insight_db):
    copies = [
        make_envelope("catalog", "item_added", f"KMN-{i}", {"title_id": "T1", "branch": "KMN"})
        for i in range(AT_ONCE)
    ]

    def copy_added(event):
        return lambda: insight_db.apply_once(event, readmodel.apply, "catalog", "item_added", event)

    def visitor():
        payload = {"branch": "KMN", "purpose": "reading", "age_group": "teen"}
        return run(insight_db, visits.record_visit, payload, KMN, now=NOW)

    # the first copy's event delivered twice, beside the others: counted once
    at_once([copy_added(e) for e in copies] + [copy_added(copies[0])] + [visitor] * AT_ONCE)

    with insight_db.reading() as session:
        assert session.get(Holding, ("T1", "KMN")).copies == AT_ONCE
        assert session.get(SourceMark, "catalog").events == AT_ONCE
        tallies = session.execute(
            select(VisitTally.branch, VisitTally.purpose, VisitTally.age_group, VisitTally.count)
        ).all()
    assert [tuple(t) for t in tallies] == [("KMN", "reading", "teen", AT_ONCE)]


def test_events_of_one_record_and_headcounts_of_one_day_at_once_each_end_whole(insight_db):
    """A ticket opened and answered at the same moment (two handlers, or two replicas)
    make its one row, neither insert refused; two hand counts of one day at once end
    as one of them, never a mix."""

    def told(event_type: str, n: int, **data) -> dict:
        data = {"ticket_id": f"TKT{n}", "category": "service", "branch": "KMN", **data}
        return make_envelope("feedback", event_type, f"TKT{n}", data)

    def applied(event):
        return lambda: insight_db.apply_once(
            event, readmodel.apply, "feedback", event["type"].split(".")[1], event
        )

    tickets = range(AT_ONCE // 2)
    opened = [told("ticket_opened", n, opened_at="2026-11-18T03:00:00+00:00") for n in tickets]
    resolved = [told("ticket_resolved", n, status="resolved", days=2.0) for n in tickets]

    def counted(by_purpose: str):
        day = {"branch": "KMN", "day": "2026-11-19", "counts": [
            {"purpose": by_purpose, "age_group": "adult", "count": 7},
            {"purpose": "other", "age_group": "teen", "count": 3},
        ]}  # fmt: skip
        return lambda: run(insight_db, visits.record_headcount, day, KMN, now=NOW)

    each_ticket = [applied(e) for pair in zip(opened, resolved, strict=True) for e in pair]
    at_once([*each_ticket, counted("reading"), counted("studying")])

    with insight_db.reading() as session:
        rows = session.execute(select(Ticket.status, Ticket.month, Ticket.days)).all()
        book = read(
            insight_db, visits.visit_days, "KMN", dt.date(2026, 11, 19), dt.date(2026, 11, 19)
        )
    assert sorted(map(tuple, rows)) == [("resolved", "2026-11", 2.0)] * len(tickets)
    assert book[0]["visits"] == 10 and book[0]["headcount"]
    assert book[0]["by_purpose"] in ({"reading": 7, "other": 3}, {"studying": 7, "other": 3})


def test_a_suggestions_month_stands_whatever_order_its_events_come_in(insight_db):
    """Queues keep no order between event types: a suggestion fulfilled before its
    submission is heard of, and an old event without submitted_on, each in one
    statement, end with the month it was submitted in and the month it was fulfilled."""

    def told(event_type: str, status: str, at: str, submitted_on: dt.date | None = None):
        data = {"suggestion_id": "SUG9", "kind": "book", "branch": "KMN", "status": status}
        if submitted_on:
            data["submitted_on"] = submitted_on
        event = {"time": at, "data": data}
        with insight_db.transaction() as session:
            readmodel.apply(session, "feedback", event_type, event)
        with insight_db.reading() as session:
            row = session.get(Suggestion, "SUG9")
            return row.month, row.fulfilled_month

    fulfilled = "2026-03-10T02:00:00Z"
    assert told("suggestion_fulfilled", "fulfilled", fulfilled) == ("2026-03", "2026-03")
    day = dt.date(2026, 1, 5)
    submitted = told("suggestion_submitted", "submitted", "2026-01-05T02:00:00Z", day)
    assert submitted == ("2026-01", "2026-03")
    older = told("suggestion_submitted", "submitted", "2026-04-01T02:00:00Z")  # no submitted_on
    assert older == ("2026-01", "2026-03")


def test_a_group_marks_each_source_once_with_all_its_events_and_the_newest_time(insight_db):
    # The grouped handlers' way (readmodel.apply_events): one mark per source a group.
    def copy(n: int, minutes: int) -> dict:
        event = make_envelope(
            "catalog", "item_added", f"KMN-{n}", {"title_id": "T1", "branch": "KMN"}
        )
        return {**event, "time": dt.datetime.fromtimestamp(NOW + 60 * minutes, dt.UTC).isoformat()}

    newest = copy(2, 5)
    with insight_db.transaction() as session:
        readmodel.apply_events(session, [copy(1, 1), newest, copy(3, 2)])
    with insight_db.reading() as session:
        mark = session.get(SourceMark, "catalog")
        assert session.get(Holding, ("T1", "KMN")).copies == 3
        assert mark.events == 3
        assert mark.last_event_at == dt.datetime.fromisoformat(newest["time"]).timestamp()


def _titles_told(insight_db) -> list[tuple]:
    """Title events in a group, one of them told twice: the rows they leave."""

    def title(n: int, material: str, month: int) -> dict:
        created = dt.datetime(2026, month, 3, tzinfo=dt.UTC).isoformat()
        data = {"id": f"T{n}", "material_type": material, "created_at": created}
        return make_envelope("catalog", "title_created", f"T{n}", data)

    told = [title(1, "book", 1), title(2, "book", 1), title(1, "magazine", 2), title(3, "ebook", 3)]
    with insight_db.transaction() as session:
        readmodel.apply_events(session, told)
    with insight_db.reading() as session:
        return sorted(
            map(tuple, session.execute(select(Title.id, Title.material_type, Title.month)))
        )


def test_a_groups_run_of_row_events_leaves_the_rows_the_events_one_by_one_would(insight_db):
    """readmodel.ROWS: a title told again keeps its first month and takes its last type."""
    assert _titles_told(insight_db) == [
        ("T1", "magazine", "2026-01"),
        ("T2", "book", "2026-01"),
        ("T3", "ebook", "2026-03"),
    ]


@pytest.mark.parametrize("database_kind", [pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_a_groups_run_of_row_events_is_one_statement_and_one_more_from_a_repeat(insight_db):
    with round_trips(insight_db.engine) as sent:
        _titles_told(insight_db)
    puts = [s for s in sent if "INSERT INTO titles" in s]
    assert len(puts) == 2 and puts[0].count("),(") == 1, puts  # [T1, T2], then [T1, T3]


def test_a_groups_run_of_copy_statuses_keeps_each_copys_latest(insight_db):
    """item_status_changed in a group (readmodel.ROWS): a copy told twice, the older
    status last, keeps the newer one, as one by one."""

    def status(barcode: str, told: str, minutes: int) -> dict:
        at = dt.datetime.fromtimestamp(NOW + 60 * minutes, dt.UTC).isoformat()
        data = {"barcode": barcode, "title_id": "T1", "branch": "KMN", "status": told}
        return make_envelope("catalog", "item_status_changed", barcode, {**data, "updated_at": at})

    told = [status("B1", "lost", 5), status("B2", "on_loan", 1), status("B1", "available", 2)]
    with insight_db.transaction() as session:
        readmodel.apply_events(session, [*told, status("", "lost", 3)])  # no barcode: no row
    with insight_db.reading() as session:
        rows = sorted(map(tuple, session.execute(select(Copy.barcode, Copy.status))))
    assert rows == [("B1", "lost"), ("B2", "on_loan")]


def test_a_groups_run_of_copies_added_counts_each_holding_once_a_copy(insight_db):
    """item_added in a group (readmodel.RUNS): each copy's row, and each title's
    holding at a branch counted by all its copies in one statement; a copy added
    before the catalogue's last rebuild read it is in that rebuild's count already."""

    def added(barcode: str, title: str, minutes: int) -> dict:
        at = dt.datetime.fromtimestamp(NOW + 60 * minutes, dt.UTC).isoformat()
        data = {"barcode": barcode, "title_id": title, "branch": "KMN", "status": "available"}
        return {**make_envelope("catalog", "item_added", barcode, data), "time": at}

    with insight_db.transaction() as session:
        session.add(SourceMark(source="catalog", events=0, rebuilt_at=NOW + 60 * 2))
    told = [added("B1", "T1", 1), added("B2", "T1", 3), added("B3", "T2", 3), added("B4", "T1", 4)]
    with insight_db.transaction() as session:
        readmodel.apply_events(session, [*told, added("B2", "T1", 5)])  # B2 told twice
    with insight_db.reading() as session:
        held = sorted(map(tuple, session.execute(select(Holding.title_id, Holding.copies))))
        copies = session.scalars(select(Copy.barcode).order_by(Copy.barcode)).all()
    # B1 came before the rebuild began (its count is the rebuild's); B2 counts twice,
    # as its two events one by one would
    assert held == [("T1", 3), ("T2", 1)]
    assert copies == ["B1", "B2", "B3", "B4"]


@pytest.mark.parametrize("database_kind", [pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_a_groups_run_of_copies_added_is_two_statements(insight_db):
    def added(n: int) -> dict:
        data = {"barcode": f"B{n}", "title_id": f"T{n % 2}", "branch": "KMN", "status": "available"}
        return make_envelope("catalog", "item_added", f"B{n}", data)

    told = [added(n) for n in range(6)]  # two titles' holdings, six copies
    with round_trips(insight_db.engine) as sent, insight_db.transaction() as session:
        readmodel.apply_events(session, told)
    assert sum("INSERT INTO copies" in s for s in sent) == 1, sent
    assert sum("INSERT INTO holdings" in s for s in sent) == 1, sent
