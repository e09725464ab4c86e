"""The read models, from the events the producing parts really emit (their own
domain functions on databases of their own): each figure counted, an event applied
twice counted once, and a rebuild from the producers' current state (the paged
backfill through their contracts' list methods) equal to the model built event by
event. SQLite only: the parts' storage is tested on both databases by their own tests."""

import datetime as dt
import json
import threading

import pytest
from sqlalchemy import select

from chassis.context import SYSTEM
from chassis.contract import read_event_data
from chassis.db import REPEAT
from chassis.errors import Conflict
from services.catalog import acquisitions, items, titles
from services.catalog import branches as catalog_branches
from services.feedback import campaigns, responses, results, suggestions, tickets
from services.feedback.builtin import LIBQUAL_ITEMS
from services.feedback.models import branches as feedback_branches
from services.insight import backfill, figures, readmodel
from services.insight.calendar import month_of, month_of_time, today
from services.insight.contract import CONTRACT
from services.insight.models import (
    READ_MODELS,
    Branch,
    Campaign,
    Copy,
    Holding,
    RebuildLease,
    Requirement,
    Staff,
    Suggestion,
    Ticket,
    Title,
)
from services.people import attendance, competencies, enrolments, gaps, lifecycle, programmes, staff
from services.people.contract import POSITIONS
from services.people.models import branches as people_branches
from tests.domain.insight.helpers import ADMIN, BRANCHES, KMN, read
from tests.support import emitted

REBUILT = (Branch, Title, Holding, Copy, Staff, Requirement, Campaign, Ticket, Suggestion)
# (position, competency, level) each position requires, as the test sets them.
REQUIRED = [
    ("terampil", "TI-SIPUS", 2),
    ("terampil", "TI-MEDSOS", 2),
    ("ahli_pertama", "TI-SIPUS", 3),
]
# The LibQUAL+ answers of the two service-quality campaigns about KMN, per dimension
# (minimum, desired, perceived) and respondent: the first campaign's two, the second's one.
SURVEYED = {
    "affect_of_service": [[(5, 8, 6), (5, 8, 8)], [(5, 8, 5)]],
    "information_control": [[(6, 9, 5), (6, 9, 6)], [(6, 9, 6)]],
    "library_as_place": [[(4, 7, 7), (4, 7, 7)], [(3, 7, 6)]],
}


def produce(own_db) -> dict:
    """The producers' databases with a little of everything insight counts."""
    catalog, people, feedback = own_db("catalog"), own_db("people"), own_db("feedback")
    with catalog.transaction() as s:
        for code in BRANCHES:
            catalog_branches.put_branch(s, {"code": code, "name": f"Cabang {code}"}, SYSTEM)
        novel = titles.create_title(s, {"title": "Laskar Pelangi"}, SYSTEM)["id"]
        magazine = titles.create_title(s, {"title": "Bobo", "material_type": "magazine"}, SYSTEM)
        titles.create_title(
            s,
            {
                "title": "Ensiklopedia Kerinci",
                "material_type": "ebook",
                "access_url": "https://pustaka.example/e/1",
            },
            SYSTEM,
        )
        order = acquisitions.order_from_suggestion(
            s, {"suggestion_id": "SUG000001", "title": "Bumi Manusia"}
        )
        wanted = titles.create_title(
            s, {"title": "Bumi Manusia", "acquisition_ref": order["id"]}, SYSTEM
        )["id"]
        gone = titles.create_title(s, {"title": "Buku lama"}, SYSTEM)["id"]
        for barcode, title, branch in [
            ("SPN-1", novel, "SPN"),
            ("SPN-2", novel, "SPN"),
            ("KMN-1", novel, "KMN"),
            ("KMN-2", magazine["id"], "KMN"),
            ("KMN-3", wanted, "KMN"),
            ("SPN-3", gone, "SPN"),
        ]:
            items.add_item(s, title, {"barcode": barcode, "branch": branch}, SYSTEM)
        titles.withdraw_title(s, gone, SYSTEM)
        items.change_status(s, "KMN-1", {"status": "lost"}, SYSTEM)
        items.change_status(s, "SPN-1", {"status": "on_loan"}, SYSTEM)  # still held
    with people.transaction() as s:
        for code in BRANCHES:
            people_branches.seen(s, {"code": code, "name": f"Cabang {code}"})
        ids = {}
        for name, branch, position in [
            ("Rina", "SPN", "ahli_pertama"),
            ("Budi", "KMN", "terampil"),
            ("Sari", "KMN", "non_functional"),
        ]:
            made = staff.register_staff(
                s, {"name": name, "branch": branch, "position": position}, SYSTEM
            )
            ids[name] = made["id"]
        staff.change_staff(s, made["id"], {"active": False, "version": made["version"]}, SYSTEM)
        # The positions' required levels as this test sets them (the built-in ones came
        # from a migration, which told no event: a rebuild alone reads those).
        for position in POSITIONS:
            for r in competencies.get_requirements(s, position)["requirements"]:
                gone = {"competency": r["competency"], "level": 0}
                competencies.put_requirement(s, position, gone, SYSTEM)
        for position, competency, level in REQUIRED:
            put = {"competency": competency, "level": level}
            competencies.put_requirement(s, position, put, SYSTEM)
    trained(people, ids["Budi"], ids["Rina"])
    with feedback.transaction() as s:
        for code in BRANCHES:
            feedback_branches.seen(s, {"code": code, "name": f"Cabang {code}"})
        first = tickets.open_ticket(
            s, {"category": "facility", "branch": "KMN", "message": "AC ruang baca mati"}
        )["id"]
        tickets.open_ticket(s, {"category": "collection", "branch": "SPN", "message": "Buku rusak"})
        tickets.transition_ticket(
            s, first, {"to": "resolved", "response": "Sudah diperbaiki."}, SYSTEM
        )
        suggestions.submit_suggestion(
            s,
            {
                "kind": "collection",
                "member": "KMN-2023-0456",
                "title": "Bumi Manusia",
                "branch": "KMN",
            },
        )
        for number in (0, 1):
            surveyed(s, number)
    return {"catalog": catalog, "people": people, "feedback": feedback}


def trained(people, trainee: str, trainer: str) -> None:
    """A training that builds what `trainee` (terampil) is required to have, completed
    today (the test's clock)."""
    day = today().isoformat()
    payload = {
        "kind": "training",
        "topic": "Otomasi perpustakaan",
        "competencies": [
            {"competency": "TI-SIPUS", "level": 2},
            {"competency": "TI-MEDSOS", "level": 3},
        ],
        "hours": 12,
        "trainer": {"staff_id": trainer},
        "capacity": 5,
        "sessions": [
            {
                "date": day,
                "start": "08:00",
                "end": "12:00",
                "venue": {"kind": "online", "url": "https://meet.example.org/otomasi"},
            }
        ],
    }
    for step in ("create", "scheduled", "enrol", "running", "attended", "completed"):
        with people.transaction() as s:
            if step == "create":
                pid = programmes.create_programme(s, payload, SYSTEM)["id"]
            elif step == "enrol":
                enrolments.enrol(s, pid, {"staff_id": trainee}, SYSTEM)
            elif step == "attended":
                marks = {"session": 1, "marks": [{"staff_id": trainee, "present": True}]}
                attendance.record_attendance(s, pid, marks, SYSTEM)
            else:
                lifecycle.transition(s, pid, {"to": step}, SYSTEM)


def at_required_level(people, branch: str) -> float | None:
    """People's own answer: the share of the branch's active staff whose position
    requires something that have no gap left (branch_gaps)."""
    with people.reading() as s:
        found = gaps.branch_gaps(s, branch, SYSTEM)["staff"]
        measured = [p for p in found if competencies.required_levels(s, p["position"])]
    return round(sum(not p["gaps"] for p in measured) / len(measured), 4) if measured else None


def surveyed(session, number: int) -> None:
    """The `number`th LibQUAL+ campaign about KMN, opened today (the test's clock),
    answered as SURVEYED says and closed."""
    day = today()
    made = campaigns.open_campaign(
        session,
        {
            "template": "layanan_perpustakaan",
            "subject_type": "branch",
            "subject_id": f"KMN-LQ-{number}",
            "title": "Layanan Cabang Kumun Debai",
            "branch": "KMN",
            "opens_on": day.isoformat(),
            "closes_on": (day + dt.timedelta(days=30)).isoformat(),
        },
        KMN,
        today=day,
    )
    code = made["public_link"].removeprefix("/s/")
    for respondent in range(len(SURVEYED["affect_of_service"][number])):
        answers = {
            qid: dict(
                zip(("minimum", "desired", "perceived"), told[number][respondent], strict=True)
            )
            for dimension, told in SURVEYED.items()
            for qid, *_ in LIBQUAL_ITEMS[dimension]
        }
        responses.submit_response(session, code, {"answers": answers}, today=day)
    results.close_campaign(session, made["id"], KMN)


def expected_gaps() -> dict:
    """Per dimension: each campaign's gap (mean perceived - mean minimum), weighted by
    its respondents."""
    out = {}
    for dimension, per_campaign in SURVEYED.items():
        gaps = [
            (sum(p for _, _, p in answers) - sum(m for m, _, _ in answers)) / len(answers)
            for answers in per_campaign
        ]
        weights = [len(answers) for answers in per_campaign]
        out[dimension] = round(
            sum(g * w for g, w in zip(gaps, weights, strict=True)) / sum(weights), 2
        )
    return out


def events_of(producers: dict) -> list[tuple[str, str, dict]]:
    """(source, type, event as insight's handler gets it) for each event it reads."""
    out = []
    for source, db in producers.items():
        for envelope in emitted(db):
            event_type = envelope["type"].split(".", 1)[1]
            try:
                consumes = CONTRACT.consumed(source, event_type)
            except LookupError:
                continue  # not one insight reads
            envelope = json.loads(json.dumps(envelope))  # as the wire carries it
            out.append(
                (
                    source,
                    event_type,
                    {**envelope, "data": read_event_data(consumes, envelope["data"])},
                )
            )
    return out


def calls_to(producers: dict):
    """call(service, method, *args) answered by the producers' own list functions, as
    their services answer it over RPC (the result as JSON carries it)."""
    methods = {
        ("catalog", "list_branches"): lambda s: catalog_branches.list_branches(s),
        ("catalog", "search_titles"): lambda s, p: titles.search_titles(s, p),
        ("catalog", "list_items"): lambda s, p: items.list_items(s, p, SYSTEM),
        ("feedback", "list_campaigns"): lambda s, p: campaigns.list_campaigns(s, p, SYSTEM),
        ("people", "list_staff"): lambda s, p: staff.list_staff(s, p, SYSTEM),
        ("people", "list_requirements"): lambda s, p: competencies.list_requirements(s, p),
        ("feedback", "list_tickets"): lambda s, p: tickets.list_tickets(s, p, SYSTEM),
        ("feedback", "list_suggestions"): lambda s, p: suggestions.list_suggestions(s, p),
    }

    def call(service: str, method: str, *args):
        with producers[service].reading() as session:
            answer = methods[(service, method)](session, *args)
        return json.loads(json.dumps(answer, default=str))

    return call


def rows(db, models=REBUILT) -> dict:
    """Every row of the models, as plain tuples (a branch's time of update aside)."""
    out = {}
    with db.reading() as session:
        for model in models:
            columns = [c for c in model.__table__.columns if c.name != "updated_at"]
            out[model.__tablename__] = sorted(session.execute(select(*columns)).all())
    return out


@pytest.fixture
def producers(own_db):
    return produce(own_db)


def apply_all(db, events) -> list:
    return [
        db.apply_once(event, readmodel.apply, source, kind, event) for source, kind, event in events
    ]


def test_each_figure_is_counted_from_the_events_and_an_event_applied_twice_counts_once(
    own_db, producers
):
    insight = own_db("insight")
    events = events_of(producers)
    assert REPEAT not in apply_all(insight, events)
    before = rows(insight, READ_MODELS)
    assert set(apply_all(insight, events)) == {REPEAT}  # every one delivered again
    assert rows(insight, READ_MODELS) == before

    this_month = month_of(json_time(events[-1][2]))
    answer = read(insight, figures.dashboard, {"from": this_month, "to": this_month}, ADMIN)
    assert (answer["from"], answer["to"]) == (this_month, this_month)
    kmn = next(i for i in answer["items"] if i["branch"] == "KMN")
    spn = next(i for i in answer["items"] if i["branch"] == "SPN")
    assert kmn["collection"]["copies_by_type"] == {"book": 2, "magazine": 1}
    assert kmn["collection"]["titles_by_type"] == {"book": 2, "magazine": 1}
    assert (kmn["collection"]["new_titles"], kmn["collection"]["new_titles_from_suggestions"]) == (
        3,
        1,
    )
    assert spn["collection"]["copies_by_type"] == {"book": 2}  # the withdrawn title's copy gone
    # Copies one by one: added in the month the catalogue added them; held but the lost
    # (KMN-1) and the withdrawn (SPN-3); a copy on loan is held.
    added = {
        e["data"]["barcode"]: month_of_time(e["data"]["created_at"])
        for source, kind, e in events
        if kind == "item_added"
    }
    assert len(added) == 6
    for branch in ("KMN", "SPN"):
        copies = read(
            insight,
            figures.dashboard,
            {"from": min(added.values()), "to": max(added.values()), "branches": branch},
            ADMIN,
        )["items"]
        assert sum(i["collection"]["copies_added"] for i in copies) == 3
        for i in copies:
            assert i["collection"]["copies_added"] == sum(
                b.startswith(branch) and m == i["month"] for b, m in added.items()
            )
            assert i["collection"]["copies_held"] == 2
    # LibQUAL+: per dimension, the campaigns' adequacy gaps weighted by their responses,
    # in the month they opened in.
    opened = today().isoformat()[:7]
    quality = read(
        insight, figures.dashboard, {"from": opened, "to": opened, "branches": "KMN"}, ADMIN
    )["items"][0]["quality"]
    assert quality["libqual_adequacy_gap"] == expected_gaps()
    assert quality["responses"] == 3
    assert not {"collection.copies_added", "collection.copies_held"} & set(answer["not_counted"])
    assert "quality.libqual_adequacy_gap" not in answer["not_counted"]
    assert answer["city"]["e_resources"] == {"ebook": 1}
    assert (kmn["staff"]["staff"], kmn["staff"]["by_position"]) == (1, {"terampil": 1})
    # Staff at their position's required levels, as people's gap report counts them:
    # Budi's training closed both his gaps this month; Rina has hers still.
    people = producers["people"]
    for branch, found in (("KMN", kmn), ("SPN", spn)):
        assert found["staff"]["share_at_required_level"] == at_required_level(people, branch)
    assert (kmn["staff"]["share_at_required_level"], spn["staff"]["share_at_required_level"]) == (
        1.0,
        0.0,
    )
    assert kmn["staff"]["gaps_closed"] == sum(p == "terampil" for p, _, _ in REQUIRED)
    assert spn["staff"]["gaps_closed"] == 0
    assert answer["not_counted"] == {}
    assert (kmn["quality"]["tickets"], kmn["quality"]["tickets_resolved"]) == (1, 1)
    assert kmn["quality"]["suggestions"] == 1 and spn["quality"]["tickets"] == 1
    told = {s["source"]: s["events"] for s in answer["freshness"]}
    assert told["catalog"] == sum(source == "catalog" for source, _, _ in events)  # once each
    # A branch key reads its own branch's figures only.
    own = read(insight, figures.dashboard, {"from": this_month, "to": this_month}, KMN)
    assert [i["branch"] for i in own["items"]] == ["KMN"]


def test_a_rebuild_from_the_services_state_equals_the_model_built_event_by_event(own_db, producers):
    by_events, rebuilt = own_db("insight", "-events"), own_db("insight", "-rebuilt")
    apply_all(by_events, events_of(producers))
    result = backfill.rebuild(rebuilt, calls_to(producers), size=2)  # pages of two
    assert result["records"] == {
        "branches": 3,
        "titles": 4,
        "copies": 6,
        "staff": 3,
        "requirements": len(REQUIRED),
        "campaigns": 2,
        "tickets": 2,
        "suggestions": 1,
    }
    assert rows(rebuilt) == rows(by_events)
    # Events of changes the rebuild read, delivered after it (at a first start, the
    # demo's), count nothing again: the copies are counts, not rows per copy.
    apply_all(rebuilt, events_of(producers))
    assert rows(rebuilt) == rows(by_events)
    # A rebuild of a model that events built (after a fix to a figure) changes none
    # of its rows, and keeps what no contract lets it read again.
    kept = rows(by_events, READ_MODELS)
    backfill.rebuild(by_events, calls_to(producers), size=50)
    assert rows(by_events, READ_MODELS) == kept


def test_one_rebuild_at_a_time(own_db, producers):
    """A rebuild under way holds the lease: another asked for meanwhile waits for it to
    end (an admin's) or gives way at once (a process's first, wait 0) and writes
    nothing; one whose lease another took over (it wrote no page for LEASE_SECONDS)
    stops at its next page."""
    db = own_db("insight")
    under_way = backfill.Lease(db)
    under_way.take(wait=0)
    with pytest.raises(Conflict, match="under way"):
        backfill.rebuild(db, calls_to(producers), size=2, wait=0)
    assert rows(db) == rows(own_db("insight", "-empty"))  # nothing written
    waited = {}

    def admins_rebuild():
        waited["result"] = backfill.rebuild(db, calls_to(producers), size=2, wait=30)

    admin = threading.Thread(target=admins_rebuild)
    admin.start()
    admin.join(0.3)
    assert admin.is_alive() and "result" not in waited  # it waits on the lease
    under_way.release()
    admin.join(30)
    assert waited["result"]["records"]["titles"] == 4
    # Taken over: the first holder's lease ran out and another took it.
    first, second = backfill.Lease(db), backfill.Lease(db)
    first.take(wait=0)
    with db.transaction() as session:
        session.get(RebuildLease, 1).until = 0.0  # as if LEASE_SECONDS had passed
    second.take(wait=0)
    with pytest.raises(Conflict, match="took this one's place"), db.transaction() as session:
        first.renew(session)
    first.release()  # not its own any more: the other's stays held
    with pytest.raises(Conflict):
        backfill.Lease(db).take(wait=0)


def json_time(event: dict) -> float:
    return dt.datetime.fromisoformat(event["time"]).timestamp()
