"""Visitors' tickets through their workflow, seen by their own branch only, and the
community's suggestions from a vote to the shelf (or to a programme), on both
databases."""

import json

import pytest

from chassis.errors import Conflict, Forbidden, NotYet, ValidationFailed
from services.feedback import results, suggestions, tickets

from .helpers import ADMIN, IDEA, KMN, SPN, emitted, read, run, sqlite_only

DAY = 86400
CONTACT = "rina.marlina@example.id"


@sqlite_only
def test_a_ticket_goes_from_received_to_resolved_at_its_own_branch(feedback_db):
    opened_at = 1_780_000_000.0  # 2026-05-28
    receipt = run(
        feedback_db,
        tickets.open_ticket,
        {
            "category": "facility",
            "branch": "KMN",
            "message": "AC ruang baca mati",
            "contact": CONTACT,
        },
        now=opened_at,
    )
    assert receipt["status"] == "received"
    tid = receipt["id"]
    with pytest.raises(Forbidden):
        read(feedback_db, tickets.get_ticket, tid, SPN)
    assert read(feedback_db, tickets.list_tickets, {}, SPN)["items"] == []
    with pytest.raises(ValidationFailed) as err:  # resolving needs the library's answer
        run(feedback_db, tickets.transition_ticket, tid, {"to": "resolved"}, KMN)
    assert "response" in err.value.details["fields"]
    run(feedback_db, tickets.transition_ticket, tid, {"to": "in_progress"}, KMN)
    answer = {"to": "resolved", "response": "AC sudah diperbaiki teknisi."}
    done = run(feedback_db, tickets.transition_ticket, tid, answer, KMN, now=opened_at + 2 * DAY)
    assert (done["status"], done["response"]) == ("resolved", "AC sudah diperbaiki teknisi.")
    with pytest.raises(Conflict):
        run(feedback_db, tickets.transition_ticket, tid, {"to": "in_progress"}, KMN)
    with pytest.raises(ValidationFailed):
        run(feedback_db, tickets.open_ticket, {"category": "x", "branch": "ZZZ", "message": ""})
    resolved = emitted(feedback_db, "ticket_resolved")[0]["data"]
    assert resolved["days"] == 2.0 and resolved["status"] == "resolved"
    assert CONTACT not in json.dumps(emitted(feedback_db))
    year = read(feedback_db, results.overview, {"year": 2026}, KMN)
    assert year["branches"][0]["resolution_days"] == 2.0
    assert [t["id"] for t in read(feedback_db, tickets.list_tickets, {}, ADMIN)["items"]] == [tid]


BOOK = {
    "kind": "collection",
    "member": "KMN-2023-0456",
    "title": "Bumi Manusia",
    "authors": ["Pramoedya Ananta Toer"],
    "isbn": "979-97312-3-2",
    "reason": "Banyak siswa SMA mencarinya.",
    "branch": "KMN",
}


@sqlite_only
def test_a_collection_suggestion_from_votes_to_the_shelf(feedback_db):
    made = run(feedback_db, suggestions.submit_suggestion, BOOK)
    assert (made["status"], made["votes"], made["isbn"]) == ("submitted", 1, "9789799731234")
    sid = made["id"]
    assert run(feedback_db, suggestions.vote, sid, {"member": "KMN-2024-0101"})["votes"] == 2
    with pytest.raises(Conflict):  # one vote per card
        run(feedback_db, suggestions.vote, sid, {"member": "KMN-2023-0456"})
    with pytest.raises(ValidationFailed) as err:
        run(feedback_db, suggestions.submit_suggestion, {**BOOK, "isbn": "979-97312-3-3"})
    assert "isbn" in err.value.details["fields"]
    with pytest.raises(ValidationFailed) as err:  # every field to correct at once
        run(feedback_db, suggestions.submit_suggestion,
            {"kind": "collection", "member": "", "contact": "0748 21234"})  # fmt: skip
    assert set(err.value.details["fields"]) == {"title", "member", "contact"}
    with pytest.raises(Forbidden):
        run(feedback_db, suggestions.approve_suggestion, sid, KMN)
    run(feedback_db, suggestions.approve_suggestion, sid, ADMIN)
    approved = emitted(feedback_db, "suggestion_approved")[0]["data"]
    assert (approved["kind"], approved["title"], approved["votes"]) == (
        "collection",
        "Bumi Manusia",
        2,
    )
    # the acquisition received may come before the order itself (the two events are
    # handled apart): it waits, retried, and changes nothing meanwhile
    received = {"id": "ACQ000003", "title_id": "T000077"}
    with pytest.raises(NotYet):
        run(feedback_db, suggestions.acquisition_received, received)
    waiting = read(feedback_db, suggestions.get_suggestion, sid)
    assert (waiting["status"], waiting["stage"], waiting["acquisition_id"]) == (
        "approved", "approved", None
    )  # fmt: skip
    # the catalogue orders it (its answer now names the order), then catalogues the
    # title with that acquisition
    run(feedback_db, suggestions.acquisition_ordered, {"id": "ACQ000003", "suggestion_id": sid})
    ordered = read(feedback_db, suggestions.get_suggestion, sid)
    assert (ordered["status"], ordered["stage"], ordered["acquisition_id"]) == (
        "approved", "ordered", "ACQ000003"
    )  # fmt: skip
    run(feedback_db, suggestions.acquisition_received, received)
    run(feedback_db, suggestions.acquisition_received, received)
    done = read(feedback_db, suggestions.get_suggestion, sid)
    assert (done["status"], done["fulfilled_by"]) == ("fulfilled", "T000077")
    assert (done["stage"], done["acquisition_id"]) == ("fulfilled", "ACQ000003")
    assert len(emitted(feedback_db, "suggestion_fulfilled")) == 1
    assert "KMN-2023-0456" not in json.dumps(emitted(feedback_db))
    # its way ends at the branches its copies were added at, each named once
    assert done["shelved_at"] == []
    for branch in ("SPN", "KMN", "SPN"):
        run(feedback_db, suggestions.acquisition_shelved, {"id": "ACQ000003", "branch": branch})
    shelved = read(feedback_db, suggestions.get_suggestion, sid)
    assert shelved["shelved_at"] == ["KMN", "SPN"]
    # a copy of a title whose order has not reached us yet waits, as the title does
    with pytest.raises(NotYet):
        run(feedback_db, suggestions.acquisition_shelved, {"id": "ACQ000099", "branch": "KMN"})


@sqlite_only
def test_a_programme_idea_is_rejected_or_becomes_a_programme(feedback_db):
    with pytest.raises(ValidationFailed) as err:
        run(feedback_db, suggestions.submit_suggestion, {**IDEA, "topic": None})
    assert "topic" in err.value.details["fields"]
    first = run(feedback_db, suggestions.submit_suggestion, IDEA)
    second = run(feedback_db, suggestions.submit_suggestion, {**IDEA, "topic": "Kelas origami"})
    run(feedback_db, suggestions.reject_suggestion, second["id"], {"reason": "Sudah ada"}, ADMIN)
    with pytest.raises(Conflict):
        run(feedback_db, suggestions.vote, second["id"], {"member": "SPN-2022-0043"})
    run(feedback_db, suggestions.approve_suggestion, first["id"], ADMIN)
    approved = emitted(feedback_db, "suggestion_approved")[0]["data"]
    assert (approved["kind"], approved["programme_type"], approved["audience"]) == (
        "programme", "storytime", "children",
    )  # fmt: skip
    published = {"programme_id": "EVT000012", "suggestion_id": first["id"]}
    run(feedback_db, suggestions.programme_published, published)
    assert read(feedback_db, suggestions.get_suggestion, first["id"])["status"] == "fulfilled"
    statuses = {
        s["id"]: s["status"] for s in read(feedback_db, suggestions.list_suggestions, {})["items"]
    }
    assert statuses == {first["id"]: "fulfilled", second["id"]: "rejected"}
    assert emitted(feedback_db, "suggestion_rejected")[0]["data"]["decision"] == "Sudah ada"
