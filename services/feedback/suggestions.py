"""Community suggestions: titles for the collection and ideas for programmes. Anyone
with a library card suggests and votes (one vote per card per suggestion; the card
number is never published); headquarters approves or rejects with a reason.

The loop to the shelf: approval publishes suggestion_approved; the catalogue puts a
collection suggestion on order (its acquisition_ordered names the suggestion, and
we keep the acquisition's id), and the title catalogued with that acquisition
(its acquisition_received) fulfils the suggestion. A programme idea is drafted by
the events service, and its programme_published naming the suggestion fulfils it.
Each fulfilment publishes suggestion_fulfilled, so its supporters can be told: it
counts those who left a contact with their vote, and headquarters' notifier reads
their contacts here (supporters.py keeps them), never from an event."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from stdnum import isbn as isbn_std
from stdnum.exceptions import ValidationError as NumberError

from chassis.context import Caller
from chassis.db import locked_first
from chassis.errors import Conflict, NotYet, ValidationFailed
from chassis.pagination import Keyset
from chassis.records import get_or_not_found, not_found
from chassis.schemas import load

from . import supporters
from .contract import SUGGESTION_ID, DecisionInput, SuggestionInput, SuggestionQuery, VoteInput
from .models import Suggestion, Vote, branches, outbox

suggestion_input, suggestion_query = SuggestionInput(), SuggestionQuery()
vote_input, decision_input = VoteInput(), DecisionInput()
NEWEST = Keyset(Suggestion.seq, descending=True)


def dump_suggestion(s: Suggestion) -> dict:
    return {
        "id": s.id,
        "kind": s.kind,
        "title": s.title,
        "authors": s.authors or [],
        "isbn": s.isbn,
        "reason": s.reason,
        "programme_type": s.programme_type,
        "audience": s.audience,
        "branch": s.branch_code,
        "status": s.status,
        "votes": s.votes,
        "decision": s.decision,
        "fulfilled_by": s.fulfilled_by,
        "submitted_on": s.submitted_on.isoformat(),
        "stage": stage(s),
        "acquisition_id": s.acquisition_ref,
        "shelved_at": s.shelved_at or [],
    }


def stage(s: Suggestion) -> str:
    """Its way to the shelf: an approved title is ordered once the catalogue says so."""
    if s.status == "approved" and s.acquisition_ref:
        return "ordered"
    return s.status


def event_data(s: Suggestion) -> dict:
    return {
        "suggestion_id": s.id,
        "kind": s.kind,
        "title": s.title,
        "branch": s.branch_code,
        "status": s.status,
        "votes": s.votes,
        "decision": s.decision,
        "fulfilled_by": s.fulfilled_by,
        "submitted_on": s.submitted_on.isoformat(),
    }


def _isbn(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return isbn_std.to_isbn13(isbn_std.validate(value))
    except NumberError as exc:
        raise ValidationFailed(
            "The request has invalid fields.", {"fields": {"isbn": [f"Not an ISBN: {exc}."]}}
        ) from exc


def submit_suggestion(session: Session, payload: dict, today: dt.date | None = None) -> dict:
    data = load(suggestion_input, payload)  # with what its kind needs (the contract's)
    title = data["title"] if data["kind"] == "collection" else data["topic"]
    if data.get("branch"):
        branches.require(session, data["branch"])
    suggestion = Suggestion(
        kind=data["kind"],
        title=title.strip(),
        authors=data.get("authors") or [] if data["kind"] == "collection" else [],
        isbn=_isbn(data.get("isbn")) if data["kind"] == "collection" else None,
        reason=data.get("reason"),
        programme_type=data.get("programme_type") if data["kind"] == "programme" else None,
        audience=data.get("audience") if data["kind"] == "programme" else None,
        branch_code=data.get("branch"),
        submitted_on=today or dt.date.today(),
        votes=1,
    )
    session.add(suggestion)
    session.flush()
    supporters.support(session, suggestion, data["member"], data.get("contact"))
    outbox.emit(session, "suggestion_submitted", suggestion.id, event_data(suggestion))
    return dump_suggestion(suggestion)


def find_suggestion(session: Session, suggestion_id, for_update: bool = False) -> Suggestion:
    return get_or_not_found(
        session, Suggestion, SUGGESTION_ID.parse(suggestion_id), noun="suggestion",
        named=suggestion_id, for_update=for_update,
    )  # fmt: skip


def get_suggestion(session: Session, suggestion_id: str) -> dict:
    return dump_suggestion(find_suggestion(session, suggestion_id))


def list_suggestions(session: Session, params: dict) -> dict:
    query = load(suggestion_query, params)
    stmt = select(Suggestion)
    if query.get("kind"):
        stmt = stmt.where(Suggestion.kind == query["kind"])
    if query.get("status"):
        stmt = stmt.where(Suggestion.status == query["status"])
    rows, cursor = NEWEST.fetch(session, stmt, query["limit"], query.get("cursor"))
    return {"items": [dump_suggestion(s) for s in rows], "next_cursor": cursor}


# vote's one query: the suggestion, locked by a statement of its own sent before it
# in the same round trip (locked_first; on SQLite a writer waits at BEGIN), and
# whether the card has voted for it, as the lock's last holder left the votes.
SUGGESTION_AND_VOTE = locked_first(
    select(
        Suggestion,
        select(Vote.member)
        .where(Vote.suggestion_seq == Suggestion.seq, Vote.member == bindparam("member"))
        .exists(),
    ).where(Suggestion.seq == bindparam("seq")),
    Suggestion.__table__,
    "seq",
)


def vote(session: Session, suggestion_id: str, payload: dict) -> dict:
    data = load(vote_input, payload)
    seq, member = SUGGESTION_ID.parse(suggestion_id), data["member"].strip()
    found = session.execute(SUGGESTION_AND_VOTE, {"seq": seq, "member": member}).first()
    if found is None:
        raise not_found("suggestion", suggestion_id)
    suggestion, voted = found
    if suggestion.status != "submitted":
        raise Conflict(
            f"Suggestion {suggestion_id} is {suggestion.status}: votes are closed.",
            {"status": suggestion.status},
        )
    if voted:
        raise Conflict("This card has voted for this suggestion already.", {"member": "voted"})
    supporters.support(session, suggestion, member, data.get("contact"))
    suggestion.votes += 1
    return dump_suggestion(suggestion)


def _decide(session: Session, suggestion_id: str, caller: Caller) -> Suggestion:
    caller.require_role()
    suggestion = find_suggestion(session, suggestion_id, for_update=True)
    if suggestion.status != "submitted":
        raise Conflict(
            f"Suggestion {suggestion_id} is {suggestion.status} already.",
            {"status": suggestion.status},
        )
    return suggestion


def approve_suggestion(session: Session, suggestion_id: str, caller: Caller) -> dict:
    suggestion = _decide(session, suggestion_id, caller)
    suggestion.status = "approved"
    suggestion.decision = "approved"
    session.flush()
    outbox.emit(
        session,
        "suggestion_approved",
        suggestion.id,
        {
            "suggestion_id": suggestion.id,
            "kind": suggestion.kind,
            "title": suggestion.title,
            "authors": suggestion.authors or [],
            "isbn": suggestion.isbn,
            "branch": suggestion.branch_code,
            "votes": suggestion.votes,
            "programme_type": suggestion.programme_type,
            "audience": suggestion.audience,
        },
    )
    return dump_suggestion(suggestion)


def reject_suggestion(session: Session, suggestion_id: str, payload: dict, caller: Caller) -> dict:
    """A rejection is final: the suggestion will never be fulfilled, so the contacts
    its supporters left, given only to be told of that, have no purpose left and are
    erased with it (data minimisation, as UU No. 27/2022 on personal data asks).
    The votes stay: they are counted, not personal."""
    data = load(decision_input, payload)
    suggestion = _decide(session, suggestion_id, caller)
    suggestion.status = "rejected"
    suggestion.decision = data["reason"].strip()
    supporters.erase(session, suggestion)
    session.flush()
    outbox.emit(session, "suggestion_rejected", suggestion.id, event_data(suggestion))
    return dump_suggestion(suggestion)


def suggestion_supporters(
    session: Session, suggestion_id: str, params: dict, caller: Caller
) -> dict:
    """The contacts of a suggestion's supporters who asked to be told, for
    headquarters' notifier, and only once there is something to tell them."""
    caller.require_role()
    suggestion = find_suggestion(session, suggestion_id)
    if suggestion.status != "fulfilled":
        raise Conflict(
            f"Suggestion {suggestion_id} is {suggestion.status}: its supporters' contacts "
            "are read only once it is fulfilled.",
            {"status": suggestion.status},
        )
    return supporters.contacts(session, suggestion, params)


# -- what the catalogue and the events service tell us ------------------------------------
def acquisition_ordered(session: Session, data: dict) -> None:
    """The catalogue put an approved suggestion on order: keep the acquisition's id,
    which the catalogued title will carry."""
    seq = SUGGESTION_ID.parse(data.get("suggestion_id"))
    suggestion = session.get(Suggestion, seq, with_for_update=True) if seq else None
    if suggestion is not None and data.get("id"):
        suggestion.acquisition_ref = data["id"]


def _fulfil(session: Session, suggestion: Suggestion | None, by: str) -> None:
    if suggestion is None or suggestion.status != "approved":
        return  # not ours, or fulfilled already
    suggestion.status = "fulfilled"
    suggestion.fulfilled_by = by
    session.flush()
    told = supporters.asked_to_be_told(session, suggestion)
    outbox.emit(
        session,
        "suggestion_fulfilled",
        suggestion.id,
        {**event_data(suggestion), "asked_to_be_told": told},
    )


def _on_order_as(session: Session, ref: str) -> Suggestion:
    """The suggestion on order as acquisition `ref`, locked. The catalogue orders only
    what a suggestion asked for: if none is here yet, its acquisition_ordered is on
    its way (the events are handled apart), so the event at hand waits for it."""
    stmt = select(Suggestion).where(Suggestion.acquisition_ref == ref).with_for_update()
    suggestion = session.scalar(stmt)
    if suggestion is None:
        raise NotYet(f"No suggestion is on order as {ref} yet.")
    return suggestion


def acquisition_received(session: Session, data: dict) -> None:
    """The title ordered is catalogued: the suggestion is fulfilled by it."""
    _fulfil(session, _on_order_as(session, data["id"]), data["title_id"])


def acquisition_shelved(session: Session, data: dict) -> None:
    """A copy of the title ordered is at a branch: the branch joins the way to the
    shelf of the suggestion on order as that acquisition."""
    suggestion = _on_order_as(session, data["id"])
    shelved = suggestion.shelved_at or []
    if data["branch"] not in shelved:
        suggestion.shelved_at = sorted([*shelved, data["branch"]])


def programme_published(session: Session, data: dict) -> None:
    seq = SUGGESTION_ID.parse(data.get("suggestion_id"))
    if seq is None:
        return
    suggestion = session.get(Suggestion, seq, with_for_update=True)
    if suggestion is not None and suggestion.kind == "programme":
        _fulfil(session, suggestion, data["programme_id"])
