"""The visitors' book and the monthly members, on both databases: what a branch may
write, what is refused with its reason (and changes nothing), and how a day counted
by hand stands for the day."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from chassis.envelope import make_envelope
from chassis.errors import Forbidden, ValidationFailed
from services.insight import figures, members, readmodel, visits
from services.insight.figures import branches_read
from services.insight.models import MemberCount, VisitCard, VisitTally
from services.insight.versions import KeptAnswers
from tests.domain.insight.helpers import (
    ADMIN,
    BRANCHES,
    INTEGRATOR,
    KMN,
    NOW,
    PARTNER,
    SPN,
    TODAY,
    read,
    run,
)

YESTERDAY = TODAY - dt.timedelta(days=1)


def rows(db, model) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_visits_at_the_entrance_are_counted_by_day_purpose_and_age_group(insight_db):
    for purpose, age, card in [
        ("reading", "teen", "KMN-2023-0456"),
        ("reading", "teen", None),
        ("internet", "adult", "KMN-2023-0456"),
        ("borrowing", "child", None),
    ]:
        payload = {"branch": "KMN", "purpose": purpose, "age_group": age, "card": card}
        done = run(insight_db, visits.record_visit, payload, KMN, now=NOW)
    assert done == {"branch": "KMN", "day": TODAY.isoformat(), "visits": 4}
    run(
        insight_db,
        visits.record_visit,
        {"branch": "KMN", "purpose": "studying", "day": YESTERDAY.isoformat()},
        KMN,
        now=NOW,
    )
    window = {"from": YESTERDAY.isoformat(), "to": TODAY.isoformat()}
    days = read(insight_db, visits.visits, window, KMN)["items"]
    assert [(d["day"], d["visits"]) for d in days] == [
        (YESTERDAY.isoformat(), 1),
        (TODAY.isoformat(), 4),
    ]
    today = days[1]
    assert today["by_purpose"] == {"reading": 2, "internet": 1, "borrowing": 1}
    assert today["by_age_group"] == {"teen": 2, "adult": 1, "child": 1}
    assert today["members"] == 1 and today["headcount"] is False  # one card, seen twice
    assert days[0]["by_age_group"] == {"unknown": 1}
    assert "KMN-2023-0456" not in repr(days)  # a card number is never shown
    # An integrator reads every branch; a partner nothing.
    assert len(read(insight_db, visits.visits, window, INTEGRATOR)["items"]) == 2
    with pytest.raises(Forbidden):
        read(insight_db, visits.visits, window, PARTNER)


def test_a_visit_from_another_branchs_key_or_a_day_to_come_is_refused_and_changes_nothing(
    insight_db,
):
    before = rows(insight_db, VisitTally), rows(insight_db, VisitCard)
    with pytest.raises(Forbidden) as other:
        run(
            insight_db,
            visits.record_visit,
            {"branch": "SPN", "purpose": "reading", "card": "SPN-1"},
            KMN,
            now=NOW,
        )
    assert "KMN" in str(other.value.details) and "SPN" in str(other.value)
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    with pytest.raises(ValidationFailed) as future:
        run(
            insight_db,
            visits.record_visit,
            {"branch": "KMN", "purpose": "reading", "day": tomorrow},
            KMN,
            now=NOW,
        )
    assert "still to come" in future.value.details["fields"]["day"][0]
    with pytest.raises(ValidationFailed) as future_count:
        run(
            insight_db,
            visits.record_headcount,
            {"branch": "KMN", "day": tomorrow, "counts": [{"purpose": "reading", "count": 5}]},
            KMN,
            now=NOW,
        )
    assert "day" in future_count.value.details["fields"]
    for bad, field in [
        ({"purpose": "sleeping"}, "purpose"),
        ({"age_group": "baby"}, "age_group"),
        ({"branch": "ZZZ"}, "branch"),
        ({"card": "x"}, "card"),
    ]:
        with pytest.raises(ValidationFailed) as err:
            run(
                insight_db,
                visits.record_visit,
                {"branch": "KMN", "purpose": "reading", **bad},
                ADMIN,
                now=NOW,
            )
        assert field in err.value.details["fields"], bad
    assert (rows(insight_db, VisitTally), rows(insight_db, VisitCard)) == before


def test_a_days_headcount_replaces_the_last_one_and_stands_for_the_day(insight_db):
    run(
        insight_db,
        visits.record_visit,
        {"branch": "SPN", "purpose": "reading", "day": YESTERDAY.isoformat()},
        SPN,
        now=NOW,
    )
    count = {
        "branch": "SPN",
        "day": YESTERDAY.isoformat(),
        "counts": [
            {"purpose": "reading", "age_group": "adult", "count": 30},
            {"purpose": "reading", "age_group": "adult", "count": 5},
            {"purpose": "internet", "count": 12},
        ],
    }
    day = run(insight_db, visits.record_headcount, count, SPN, now=NOW)
    assert (day["visits"], day["headcount"]) == (47, True)
    assert day["by_purpose"] == {"reading": 35, "internet": 12}
    again = {**count, "counts": [{"purpose": "studying", "age_group": "teen", "count": 20}]}
    day = run(insight_db, visits.record_headcount, again, SPN, now=NOW)
    assert (day["visits"], day["by_purpose"]) == (20, {"studying": 20})
    # The dashboard's month, summed by the database: yesterday by hand, today's entry.
    run(insight_db, visits.record_visit, {"branch": "SPN", "purpose": "reading"}, SPN, now=NOW)
    month = {"from": TODAY.strftime("%Y-%m"), "to": TODAY.strftime("%Y-%m"), "branches": "SPN"}
    book = read(insight_db, figures.dashboard, month, ADMIN)["items"][0]["visits"]
    assert (book["visits"], book["days_open"]) == (21, 2)
    assert book["by_purpose"] == {"studying": 20, "reading": 1}
    with pytest.raises(ValidationFailed) as err:  # a count is a whole number, not text
        run(
            insight_db,
            visits.record_headcount,
            {**count, "counts": [{"purpose": "reading", "count": "5"}]},
            SPN,
            now=NOW,
        )
    assert "counts" in err.value.details["fields"]
    with pytest.raises(ValidationFailed) as span:
        read(insight_db, visits.visits, {"from": "2025-01-01", "to": "2026-06-30"}, ADMIN)
    assert "to" in span.value.details["fields"]


def test_a_kept_dashboard_answer_stands_until_a_write_changes_what_it_sums(insight_db):
    kept = KeptAnswers()
    month = {"from": TODAY.strftime("%Y-%m"), "to": TODAY.strftime("%Y-%m"), "branches": "SPN"}
    first = read(insight_db, figures.dashboard, month, ADMIN, kept)
    assert read(insight_db, figures.dashboard, month, ADMIN, kept) is first
    run(insight_db, visits.record_visit, {"branch": "SPN", "purpose": "reading"}, SPN, now=NOW)
    after = read(insight_db, figures.dashboard, month, ADMIN, kept)
    assert after["items"][0]["visits"]["visits"] == first["items"][0]["visits"]["visits"] + 1
    copy = make_envelope("catalog", "item_added", "SPN-9", {"title_id": "T9", "branch": "SPN"})
    insight_db.apply_once(copy, readmodel.apply, "catalog", "item_added", copy)
    events = read(insight_db, figures.dashboard, month, ADMIN, kept)["freshness"][0]["events"]
    assert events == after["freshness"][0]["events"] + 1


CSV = """branch,month,members,new_members
SPN,2026-09,5300,80
KMN,2026-09,940,
SPN,2026-10,5350,61
"""


def test_members_are_entered_or_imported_whole_by_headquarters(insight_db):
    one = {"branch": "PDT", "month": "2026-10", "members": 1410, "new_members": 12}
    assert run(insight_db, members.put_members, one, ADMIN) == one
    with pytest.raises(Forbidden):
        run(insight_db, members.put_members, one, KMN)
    assert run(insight_db, members.import_members, {"csv": CSV}, ADMIN) == {"rows": 3}
    # The same month again replaces its count.
    run(
        insight_db,
        members.import_members,
        {"csv": "branch,month,members\nKMN,2026-09,950\n"},
        ADMIN,
    )
    year = read(insight_db, members.members, {"year": 2026}, ADMIN)["items"]
    assert [(m["branch"], m["month"], m["members"]) for m in year] == [
        ("KMN", "2026-09", 950),
        ("SPN", "2026-09", 5300),
        ("PDT", "2026-10", 1410),
        ("SPN", "2026-10", 5350),
    ]
    assert [
        m["branch"] for m in read(insight_db, members.members, {"year": 2026}, KMN)["items"]
    ] == ["KMN"]


def test_a_members_csv_with_a_bad_row_is_refused_whole_naming_each_bad_row(insight_db):
    bad = (
        "branch,month,members,new_members\n"
        "SPN,2026-09,5300,80\n"  # 1: good
        "ZZZ,2026-09,10,\n"  # 2: no such branch
        "KMN,2026-13,940,\n"  # 3: no 13th month
        "PDT,2026-09,banyak,3\n"  # 4: not a number
        "SPN,2026-09,5301,\n"  # 5: row 1's month again
        "KMN,2026-09,-4,\n"  # 6: below zero
    )
    with pytest.raises(ValidationFailed) as err:
        run(insight_db, members.import_members, {"csv": bad}, ADMIN)
    problems = {(p["row"], p["field"]) for p in err.value.details["rows"]}
    assert problems == {(2, "branch"), (3, "month"), (4, "members"), (5, "month"), (6, "members")}
    assert "5 of 6 rows are bad" in err.value.message
    assert all(p["reason"] for p in err.value.details["rows"])
    assert rows(insight_db, MemberCount) == 0  # nothing of it was kept
    with pytest.raises(ValidationFailed) as header:
        run(insight_db, members.import_members, {"csv": "cabang;bulan\nSPN;2026-09\n"}, ADMIN)
    assert "csv" in header.value.details["fields"]


def test_the_branches_a_caller_reads_are_its_own_or_all_by_name(insight_db):
    every = read(insight_db, branches_read, ADMIN)["items"]
    assert [b["code"] for b in every] == sorted(BRANCHES)
    assert read(insight_db, branches_read, INTEGRATOR)["items"] == every
    assert read(insight_db, branches_read, KMN)["items"] == [{"code": "KMN", "name": "Cabang KMN"}]
    with pytest.raises(Forbidden):
        read(insight_db, branches_read, PARTNER)
