"""A suggestion's supporters who leave a contact with their vote: counted by the event
of its fulfilment, read by headquarters only once it is fulfilled, erased when it is
rejected; a bad contact refused with nothing kept. On both databases."""

import json

import pytest
from sqlalchemy import func, select

from chassis.errors import Conflict, Forbidden, ValidationFailed
from services.feedback import suggestions
from services.feedback.models import SupporterContact, Vote

from .helpers import ADMIN, IDEA, KMN, UNJA, emitted, read, run, sqlite_only

BOOK = {
    "kind": "collection",
    "member": "KMN-2023-0456",
    "title": "Laut Bercerita",
    "authors": ["Leila S. Chudori"],
    "branch": "KMN",
    "contact": "0812-7400-1234",
}


def count(db, model, suggestion_id) -> int:
    seq = int(suggestion_id[3:])
    with db.reading() as session:
        return session.scalar(
            select(func.count()).select_from(model).where(model.suggestion_seq == seq)
        )


def supporters(db, suggestion_id, caller=ADMIN, **params):
    return read(db, suggestions.suggestion_supporters, suggestion_id, params, caller)


def test_supporters_who_asked_are_counted_then_told_by_headquarters_only(feedback_db):
    sid = run(feedback_db, suggestions.submit_suggestion, BOOK)["id"]
    vote = lambda member, contact=None: run(  # noqa: E731
        feedback_db, suggestions.vote, sid, {"member": member, "contact": contact}
    )
    vote("KMN-2024-0101", " Dewi.Anggraini@Example.COM ")
    vote("KMN-2024-0102")
    vote("KMN-2024-0103", "")  # a blank field: no contact
    vote("KMN-2024-0104", "+62 852 6634 1190")
    with pytest.raises(Conflict):  # a second vote changes nothing, its contact neither
        vote("KMN-2024-0101", "0813-6612-0457")
    assert (count(feedback_db, Vote, sid), count(feedback_db, SupporterContact, sid)) == (5, 3)

    for caller in (KMN, UNJA):  # headquarters' only
        with pytest.raises(Forbidden):
            supporters(feedback_db, sid, caller)
    with pytest.raises(Conflict) as refused:  # nothing to tell them yet
        supporters(feedback_db, sid)
    assert refused.value.details == {"status": "submitted"}
    assert "only once it is fulfilled" in str(refused.value)
    run(feedback_db, suggestions.approve_suggestion, sid, ADMIN)
    with pytest.raises(Conflict):
        supporters(feedback_db, sid)

    run(feedback_db, suggestions.acquisition_ordered, {"id": "ACQ000009", "suggestion_id": sid})
    run(feedback_db, suggestions.acquisition_received, {"id": "ACQ000009", "title_id": "T000078"})
    (fulfilled,) = emitted(feedback_db, "suggestion_fulfilled")
    assert fulfilled["dataschema"] == "feedback.suggestion_fulfilled/v1"
    assert (fulfilled["data"]["votes"], fulfilled["data"]["asked_to_be_told"]) == (5, 3)
    published = json.dumps(emitted(feedback_db))
    # No contact in any spelling; eight digits, since a timestamp's microseconds hold six.
    secrets = ("+6281274001234", "Dewi.Anggraini", "6634 1190", "66341190", "KMN-2023-0456")
    secrets += ("KMN-2024",)
    for secret in secrets:
        assert secret not in published

    found = supporters(feedback_db, sid)
    assert {k: found[k] for k in ("suggestion_id", "fulfilled_by", "votes")} == {
        "suggestion_id": sid, "fulfilled_by": "T000078", "votes": 5,
    }  # fmt: skip
    assert found["asked_to_be_told"] == 3 and found["next_cursor"] is None
    assert found["items"] == [
        {"contact": "+6281274001234", "channel": "phone"},
        {"contact": "Dewi.Anggraini@example.com", "channel": "email"},
        {"contact": "+6285266341190", "channel": "phone"},
    ]
    with pytest.raises(Forbidden):
        supporters(feedback_db, sid, KMN)
    first = supporters(feedback_db, sid, limit=2)
    rest = supporters(feedback_db, sid, limit=2, cursor=first["next_cursor"])
    assert first["items"] + rest["items"] == found["items"] and rest["next_cursor"] is None
    with pytest.raises(ValidationFailed) as bad:
        supporters(feedback_db, sid, cursor="bm90LWEtY3Vyc29y")
    assert "cursor" in bad.value.details["fields"]


def test_a_rejection_erases_its_supporters_contacts_and_keeps_its_votes(feedback_db):
    idea = {**IDEA, "contact": "siti.rahmawati@example.com"}
    rejected = run(feedback_db, suggestions.submit_suggestion, idea)["id"]
    kept = run(feedback_db, suggestions.submit_suggestion, {**idea, "topic": "Kelas origami"})["id"]
    for sid in (rejected, kept):
        run(
            feedback_db, suggestions.vote, sid, {"member": "SPN-2024-0007", "contact": "0811745220"}
        )
    run(feedback_db, suggestions.reject_suggestion, rejected, {"reason": "Sudah ada"}, ADMIN)
    assert count(feedback_db, SupporterContact, rejected) == 0
    assert count(feedback_db, Vote, rejected) == 2
    assert read(feedback_db, suggestions.get_suggestion, rejected)["votes"] == 2
    with pytest.raises(Conflict) as refused:
        supporters(feedback_db, rejected)
    assert refused.value.details == {"status": "rejected"}

    # the other idea's supporters are untouched, and told once its programme is published
    run(feedback_db, suggestions.approve_suggestion, kept, ADMIN)
    published = {"programme_id": "EVT000012", "suggestion_id": kept}
    run(feedback_db, suggestions.programme_published, published)
    assert emitted(feedback_db, "suggestion_fulfilled")[0]["data"]["asked_to_be_told"] == 2
    assert [s["contact"] for s in supporters(feedback_db, kept)["items"]] == [
        "siti.rahmawati@example.com", "+62811745220",
    ]  # fmt: skip


BAD_CONTACTS = [
    "0748 21234",  # a fixed line at Sungai Penuh: no message reaches it
    "812 7400 1234",  # no 0 or 62 before it
    "08123",
    "0812-7400-1234-5678",
    "+1 202 555 0100",
    "٠٨١٢٧٤٠٠١٢٣٤",  # Arabic-Indic digits
    "rina.marlina@",
    "@example.id",
    "rina.marlina at example.id",
    "rina marlina@example.id",
    "r" * 250 + "@example.id",
    12345,
    ["0812-7400-1234"],
]


@sqlite_only
@pytest.mark.parametrize("contact", BAD_CONTACTS, ids=range(len(BAD_CONTACTS)))
def test_a_bad_contact_is_a_field_error_and_nothing_is_kept(feedback_db, contact):
    with pytest.raises(ValidationFailed) as bad:
        run(feedback_db, suggestions.submit_suggestion, {**BOOK, "contact": contact})
    assert list(bad.value.details["fields"]) == ["contact"]
    assert read(feedback_db, suggestions.list_suggestions, {})["items"] == []

    sid = run(feedback_db, suggestions.submit_suggestion, {**BOOK, "contact": None})["id"]
    with pytest.raises(ValidationFailed) as bad:
        run(feedback_db, suggestions.vote, sid, {"member": "KMN-2024-0101", "contact": contact})
    assert list(bad.value.details["fields"]) == ["contact"]
    assert (count(feedback_db, Vote, sid), count(feedback_db, SupporterContact, sid)) == (1, 0)
    # the card did not vote: it still may
    run(feedback_db, suggestions.vote, sid, {"member": "KMN-2024-0101"})
