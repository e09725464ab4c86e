"""What a survey response costs PostgreSQL in round trips, the whole unit of work as
a request runs it: the campaign's count and its tallies are rows every response to
it updates, held until the commit (see tests/domain/people/test_round_trips.py)."""

import pytest

from services.feedback import responses
from tests.support import requested, round_trips

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
