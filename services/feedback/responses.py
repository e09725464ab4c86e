"""Answering a survey: a link opens the form (an invitation's one-time token, or a
campaign's public link), and the answers are checked against the template and
stored whole or not at all.

An answer through a public link is anonymous: it is stored with its campaign, its
answers and its day, and nothing else (no token, key, address or time of day), under
a random id, and the event it causes names neither it nor anyone. Each answer is
also counted in the campaign's tallies, from which the results are computed."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from chassis import bulk
from chassis.db import insert_at_end
from chassis.errors import Conflict, Gone, NotFound
from chassis.records import lockable
from chassis.schemas import load

from .contract import TOKEN, ResponseInput
from .models import Campaign, Invitation, Response, Tally, Template, outbox
from .templates import check_answers, dump_template, questions_of

response_input = ResponseInput()
# The tally of responses themselves (per month): no question's id starts with "_".
RESPONSE_KEY = ("_responses", "", "")


# The statements every answer runs, built once.
BY_PUBLIC_CODE = select(Campaign).where(Campaign.public_code == bindparam("token"))
_INVITED = select(Invitation, Campaign).join(Campaign).where(Invitation.token == bindparam("token"))
BY_INVITATION = lockable(_INVITED, Invitation)
ONE_MORE_RESPONSE = (
    update(Campaign)
    .where(Campaign.seq == bindparam("campaign"))
    .values(responses=Campaign.responses + 1)
    .returning(Campaign.responses)
    .execution_options(synchronize_session=False)
)


def _by_link(session: Session, token: str, for_update: bool = False):
    """(campaign, invitation or None) that a link's token opens; NotFound else. A
    campaign's public link is asked first, in one query (the one every visitor
    answering a survey comes by), an invitation with its campaign in one more."""
    if TOKEN.match(token or ""):
        campaign = session.scalar(BY_PUBLIC_CODE, {"token": token})
        if campaign is not None:
            return campaign, None
        found = session.execute(BY_INVITATION[for_update], {"token": token})
        if (invited := found.first()) is not None:
            return invited.Campaign, invited.Invitation
    raise NotFound("No survey at this link.", {"token": "unknown"})


def _answerable(campaign: Campaign, invitation: Invitation | None, today: dt.date) -> None:
    if campaign.status != "open" or today > campaign.closes_on:
        raise Gone("This survey has closed.", {"closes_on": campaign.closes_on.isoformat()})
    if today < campaign.opens_on:
        raise Conflict(
            "This survey is not open yet.",
            {"opens_on": campaign.opens_on.isoformat(), "token": "not_open"},
        )
    if invitation is not None and invitation.used_on is not None:
        raise Conflict("This link has been used: a survey is answered once.", {"token": "used"})


def survey_form(session: Session, token: str, today: dt.date | None = None) -> dict:
    campaign, invitation = _by_link(session, token)
    _answerable(campaign, invitation, today or dt.date.today())
    template = session.get(Template, (campaign.template_code, campaign.template_version))
    return {
        "campaign_id": campaign.id,
        "title": campaign.title,
        "template": dump_template(template),
        "closes_on": campaign.closes_on.isoformat(),
        "anonymous": invitation is None,
    }


def submit_response(session: Session, token: str, payload: dict, today: dt.date | None = None):
    today = today or dt.date.today()
    data = load(response_input, payload)
    campaign, invitation = _by_link(session, token, for_update=True)
    _answerable(campaign, invitation, today)
    questions = questions_of(session, campaign.template_code, campaign.template_version)
    answers = check_answers(questions, data["answers"])
    record(session, campaign, questions, answers, today, invitation)
    return {"campaign_id": campaign.id, "responses": campaign.responses}


def record(
    session: Session,
    campaign: Campaign,
    questions: list[dict],
    answers: dict,
    day: dt.date,
    invitation: Invitation | None = None,
    emit: bool = True,
) -> None:
    """Store checked answers, count them, and say so (the demo and the benchmark
    write through here too)."""
    if invitation is not None:
        invitation.used_on = day
    # The campaign's count, then the response and its tallies with the events, in the
    # write's last statement: the rows every response to the campaign adds to (its
    # count, its tally of responses) are held for as short a while as can be.
    # One statement: concurrent responses add up without reading the count first.
    counted = session.execute(ONE_MORE_RESPONSE, {"campaign": campaign.seq}).scalar_one()
    response = {
        "id": uuid.uuid4().hex,
        "campaign_seq": campaign.seq,
        "invitation_seq": invitation.seq if invitation is not None else None,
        "submitted_on": day,
        "answers": answers,
    }
    insert_at_end(session, Response.__table__, [response])
    month = day.strftime("%Y-%m")
    insert_at_end(session, Tally.__table__, tally_rows(campaign.seq, questions, answers, month),
                  ADDING)  # fmt: skip
    set_committed_value(campaign, "responses", counted)
    if emit:
        outbox.emit(
            session,
            "response_submitted",
            campaign.id,
            {
                "campaign_id": campaign.id,
                "subject_type": campaign.subject_type,
                "subject_id": campaign.subject_id,
                "branch": campaign.branch_code,
                "responses": campaign.responses,
            },
        )


def record_many(
    session: Session, campaign: Campaign, questions: list[dict], answered: list[tuple]
) -> None:
    """Store many checked responses, (answers, day, invitation or None) each, in a
    few statements, counted as record() counts them, without an event each: how
    the demo and the benchmark load a year of them."""
    tallies: Counter = Counter()
    rows = []
    for answers, day, invitation in answered:
        if invitation is not None:
            invitation.used_on = day
        rows.append(
            {
                "id": uuid.uuid4().hex,
                "campaign_seq": campaign.seq,
                "invitation_seq": invitation.seq if invitation is not None else None,
                "submitted_on": day,
                "answers": answers,
            }
        )
        month = day.strftime("%Y-%m")
        for key in [RESPONSE_KEY, *tally_keys(questions, answers)]:
            tallies[(*key, month)] += 1
    if not rows:
        return
    session.execute(insert(Response), rows)
    counts = [
        {"campaign_seq": campaign.seq, "question": q, "part": p, "value": v, "month": m,
         "count": n}
        for (q, p, v, m), n in tallies.items()
    ]  # fmt: skip
    add_counts(session, counts)
    campaign.responses += len(rows)
    session.flush()


def tally_keys(questions: list[dict], answers: dict) -> list[tuple[str, str, str]]:
    """(question, part, value) of each counted answer: free text is not counted."""
    keys = []
    for q in questions:
        value = answers.get(q["id"])
        if value is None or q["type"] == "text":
            continue
        if q["type"] == "libqual":
            keys += [(q["id"], part, str(v)) for part, v in value.items()]
        elif q["type"] == "multiple":
            keys += [(q["id"], "", v) for v in value]
        else:
            keys.append((q["id"], "", str(value)))
    return keys


def tally_rows(campaign_seq: int, questions, answers, month: str) -> list[dict]:
    """One more in each answer's tally, and in the tally of responses."""
    return [
        {"campaign_seq": campaign_seq, "question": q, "part": p, "value": v, "month": month,
         "count": 1}
        for q, p, v in [RESPONSE_KEY, *tally_keys(questions, answers)]
    ]  # fmt: skip


# INSERT a tally, or add to its count (PostgreSQL's and SQLite's upsert alike), so
# concurrent responses to the same campaign add up on either database.
ADDING = (
    "ON CONFLICT (campaign_seq, question, part, value, month)"
    " DO UPDATE SET count = tallies.count + excluded.count"
)


def add_counts(session: Session, rows: list[dict]) -> None:
    bulk.insert_with(session, Tally.__table__, rows, ADDING)
