"""What a survey response costs PostgreSQL in round trips, the whole unit of work as
a request runs it: the campaign's count and its tallies are rows every response to
it updates, held until the commit (see tests/domain/people/test_round_trips.py)."""

import pytest

from services.feedback import responses, suggestions
from tests.support import requested, round_trips

from .helpers import IDEA, run
from .test_surveys import DAY, _branch_campaign, _public_code

pytestmark = pytest.mark.parametrize(
    "database_kind", [pytest.param("postgresql", marks=pytest.mark.postgres)]
)


def test_answering_by_a_public_link_is_five_round_trips(feedback_db):
    code = _public_code(_branch_campaign(feedback_db, "nps"))
    answer = {"answers": {"rekomendasi": 10}}
    submit = responses.submit_response
    requested(feedback_db, "submit_response", submit, code, answer, today=DAY)
    with round_trips(feedback_db.engine) as sent:
        requested(feedback_db, "submit_response", submit, code, answer, today=DAY)
    # the campaign; its count; the response and its tallies with the event and the
    # answer, in one statement; the commit. The rows every response updates (the
    # count, the tally of responses) are held for the last two alone.
    assert len(sent) == 5, sent
    assert "UPDATE campaigns" in sent[2]
    last = sent[3]
    assert all(f"INSERT INTO {t}" in last for t in ("responses", "tallies", "outbox"))
    assert sent[4] == "COMMIT"


def test_a_vote_is_five_round_trips(feedback_db):
    sid = run(feedback_db, suggestions.submit_suggestion, IDEA, today=DAY)["id"]
    vote = {"member": "SPN-2024-0007", "contact": "0812-6000-0007"}
    with round_trips(feedback_db.engine) as sent:
        made = requested(feedback_db, "vote", suggestions.vote, sid, vote)
    assert made["votes"] == 2
    # the suggestion locked, then read with whether the card has voted, in the same
    # round trip; its count; the vote and the contact with the answer; the commit
    assert len(sent) == 5, sent
    locking, reading = sent[1].split(";", 1)
    assert "FOR UPDATE" in locking and "votes.member" in reading
    assert "UPDATE suggestions" in sent[2]
    assert all(f"INSERT INTO {t}" in sent[3] for t in ("votes", "supporter_contacts"))
