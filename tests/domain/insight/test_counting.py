"""Counting at once (SQLite, then PostgreSQL): events counted into the same rows by
handlers running together, as two replicas' would, and visitors entered at one
branch's door at the same moment, end exact: none lost, none doubled, no insert
refused by the row another transaction was making (services/insight/counting.py)."""

import eventlet
from sqlalchemy import select

from chassis.envelope import make_envelope
from services.insight import readmodel, visits
from services.insight.models import Holding, SourceMark, VisitTally

from .helpers import KMN, NOW, run

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
