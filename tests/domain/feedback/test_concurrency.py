"""Responses arriving at once (SQLite, then PostgreSQL): every one is counted, in the
campaign's count and in each answer's tally, and the one-time link of an invitation
answered twice at once takes one answer only. Votes at once: each card once, every
one counted."""

import datetime as dt

import eventlet
from sqlalchemy import func, select

from chassis.errors import Conflict
from services.feedback import campaigns, responses, results, suggestions
from services.feedback.models import Invitation, SupporterContact, Tally, Vote

from .helpers import ADMIN, IDEA, KMN, completed_event, run

DAY = dt.date(2026, 11, 15)


def at_once(calls) -> list:
    """Each call in a green thread of its own, all started together (psycopg2 yields
    while it waits for the server)."""
    pool = eventlet.GreenPool(len(calls))
    threads = [pool.spawn(call) for call in calls]
    out = []
    for t in threads:
        try:
            out.append(t.wait())
        except Conflict as exc:
            out.append(exc)
    return out


def test_thirty_answers_at_once_are_thirty(feedback_db):
    made = run(
        feedback_db,
        campaigns.open_campaign,
        {"template": "nps", "subject_type": "branch", "subject_id": "KMN-AT-ONCE",
         "title": "NPS", "branch": "KMN", "opens_on": "2026-11-01", "closes_on": "2026-11-30"},
        KMN,
        today=DAY,
    )  # fmt: skip
    code = made["public_link"].removeprefix("/s/")
    scores = [10, 9, 7] * 10

    def answer(score):
        return lambda: run(
            feedback_db, responses.submit_response, code, {"answers": {"rekomendasi": score}},
            today=DAY,
        )  # fmt: skip

    at_once([answer(s) for s in scores])
    with feedback_db.reading() as session:
        found = results.results(session, made["id"], ADMIN)
        tallied = session.scalar(
            select(func.sum(Tally.count)).where(Tally.question == "rekomendasi")
        )
    assert found["responses"] == 30 and tallied == 30
    assert found["questions"][0]["distribution"] == {"7": 10, "9": 10, "10": 10}
    assert found["nps"] == round(100 * 20 / 30, 1)

    campaign = run(feedback_db, campaigns.event_completed, completed_event())
    with feedback_db.reading() as session:
        token = session.scalar(
            select(Invitation.token).where(Invitation.campaign_seq == campaign.seq).limit(1)
        )
    twice = {"answers": {"isi": 5, "pemandu": 5, "tempat": 5, "rekomendasi": 10}}
    outcomes = at_once(
        [lambda: run(feedback_db, responses.submit_response, token, twice, today=DAY)] * 2
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "dict"]


def test_votes_at_once_count_each_card_once(feedback_db):
    sid = run(feedback_db, suggestions.submit_suggestion, IDEA, today=DAY)["id"]

    def vote(member, contact=None):
        body = {"member": member, **({"contact": contact} if contact else {})}
        return lambda: run(feedback_db, suggestions.vote, sid, body)

    cards = [vote(f"KMN-2024-{n:04d}", f"08126000{n:04d}") for n in range(2, 12)]
    twice = [vote("KMN-2024-0099")] * 5  # one card five times at once
    answers = at_once(cards + twice)
    refused = [a for a in answers if isinstance(a, Conflict)]
    assert len(refused) == 4 and all(a.details == {"member": "voted"} for a in refused)
    with feedback_db.reading() as session:
        votes = session.scalar(select(func.count()).select_from(Vote))
        contacts = session.scalar(select(func.count()).select_from(SupporterContact))
    assert votes == 1 + 10 + 1 and contacts == 10
    assert run(feedback_db, suggestions.get_suggestion, sid)["votes"] == votes
