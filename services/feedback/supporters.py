"""A suggestion's supporters: one vote per library card, and, for those who left one
with their vote, a contact to tell them the suggestion was fulfilled. The contact is
kept apart from the vote (models.SupporterContact), read by headquarters' notifier
once the suggestion is fulfilled and never in an event; suggestions.py decides when."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from chassis.contacts import channel
from chassis.db import insert_at_end
from chassis.pagination import Keyset
from chassis.schemas import load

from .contract import SupporterQuery
from .models import Suggestion, SupporterContact, Vote

supporter_query = SupporterQuery()
IN_ORDER = Keyset(SupporterContact.seq)  # in the order they came


def support(session: Session, suggestion: Suggestion, member: str, contact: str | None) -> None:
    """One card's vote, with its contact if given (a loaded, normalised one), both
    inserted with the write's events (insert_at_end). The caller has found that this
    card has not voted for the suggestion, under the suggestion's lock; were it
    wrong, the vote's primary key would refuse the whole write, contact and all."""
    vote = {"suggestion_seq": suggestion.seq, "member": member.strip()}
    insert_at_end(session, Vote.__table__, [vote])
    if contact:  # the contact's foreign key names the vote, inserted before it
        insert_at_end(session, SupporterContact.__table__, [{**vote, "contact": contact}])


def asked_to_be_told(session: Session, suggestion: Suggestion) -> int:
    return session.scalar(
        select(func.count())
        .select_from(SupporterContact)
        .where(SupporterContact.suggestion_seq == suggestion.seq)
    )


def erase(session: Session, suggestion: Suggestion) -> None:
    session.execute(
        delete(SupporterContact).where(SupporterContact.suggestion_seq == suggestion.seq)
    )


def contacts(session: Session, suggestion: Suggestion, params: dict) -> dict:
    """The contacts left for a suggestion, in the order they came, a page at a time."""
    query = load(supporter_query, params)
    stmt = select(SupporterContact).where(SupporterContact.suggestion_seq == suggestion.seq)
    rows, cursor = IN_ORDER.fetch(session, stmt, query["limit"], query.get("cursor"))
    return {
        "suggestion_id": suggestion.id,
        "title": suggestion.title,
        "fulfilled_by": suggestion.fulfilled_by,
        "votes": suggestion.votes,
        "asked_to_be_told": asked_to_be_told(session, suggestion),
        "items": [{"contact": c.contact, "channel": channel(c.contact)} for c in rows],
        "next_cursor": cursor,
    }
