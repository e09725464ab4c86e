"""Visitors' feedback: a ticket (a complaint, a question, praise) about a branch,
received → in progress → resolved or rejected, with the library's answer. Anyone
may open one; headquarters sees all, a branch key its own branch's (another's is a
403, by id too). The contact, if given, is personal data: never in an event."""

from __future__ import annotations

import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from chassis.context import Caller
from chassis.errors import Conflict, Forbidden, field_error
from chassis.pagination import Keyset
from chassis.records import get_or_not_found
from chassis.schemas import load
from chassis.times import iso_time, iso_time_or_none

from .contract import TICKET_ID, TicketInput, TicketQuery, TicketTransition
from .models import Ticket, branches, outbox

ticket_input, ticket_query, ticket_transition = TicketInput(), TicketQuery(), TicketTransition()
NEWEST = Keyset(Ticket.seq, descending=True)
MOVES = {
    "received": ("in_progress", "resolved", "rejected"),
    "in_progress": ("resolved", "rejected"),
    "resolved": (),
    "rejected": (),
}


def dump_ticket(t: Ticket) -> dict:
    return {
        "id": t.id,
        "category": t.category,
        "branch": t.branch_code,
        "message": t.message,
        "contact": t.contact,
        "status": t.status,
        "response": t.response,
        "opened_at": iso_time(t.opened_at),
        "resolved_at": iso_time_or_none(t.resolved_at),
    }


def open_ticket(session: Session, payload: dict, now: float | None = None) -> dict:
    data = load(ticket_input, payload)
    branches.require(session, data["branch"])
    ticket = Ticket(
        category=data["category"],
        branch_code=data["branch"],
        message=data["message"].strip(),
        contact=(data.get("contact") or "").strip() or None,
        opened_at=now or time.time(),
    )
    session.add(ticket)
    session.flush()
    outbox.emit(
        session,
        "ticket_opened",
        ticket.id,
        {
            "ticket_id": ticket.id,
            "category": ticket.category,
            "branch": ticket.branch_code,
            "opened_at": iso_time(ticket.opened_at),
        },
    )
    return {"id": ticket.id, "status": ticket.status}


def _ticket_for(session: Session, ticket_id, caller: Caller, for_update=False) -> Ticket:
    caller.require_role("branch")
    ticket = get_or_not_found(
        session, Ticket, TICKET_ID.parse(ticket_id), noun="ticket", named=ticket_id,
        for_update=for_update,
    )  # fmt: skip
    if not caller.may_act_at(ticket.branch_code):
        raise Forbidden(f"this key may not see ticket {ticket_id}", {"id": ticket_id})
    return ticket


def get_ticket(session: Session, ticket_id: str, caller: Caller) -> dict:
    return dump_ticket(_ticket_for(session, ticket_id, caller))


def list_tickets(session: Session, params: dict, caller: Caller) -> dict:
    caller.require_role("branch")
    query = load(ticket_query, params)
    stmt = select(Ticket)
    branch = caller.branch_seen(query.get("branch"))
    if branch:
        stmt = stmt.where(Ticket.branch_code == branch)
    if query.get("status"):
        stmt = stmt.where(Ticket.status == query["status"])
    rows, cursor = NEWEST.fetch(session, stmt, query["limit"], query.get("cursor"))
    return {"items": [dump_ticket(t) for t in rows], "next_cursor": cursor}


def transition_ticket(
    session: Session, ticket_id: str, payload: dict, caller: Caller, now: float | None = None
) -> dict:
    data = load(ticket_transition, payload)
    ticket = _ticket_for(session, ticket_id, caller, for_update=True)
    to = data["to"]
    if to not in MOVES[ticket.status]:
        raise Conflict(
            f"A ticket {ticket.status} cannot become {to}.", {"status": ticket.status, "to": to}
        )
    if to in ("resolved", "rejected") and not data.get("response"):
        raise field_error("response", "Say what the library answers.")
    if data.get("response"):
        ticket.response = data["response"].strip()
    ticket.status = to
    ticket.version += 1
    if to in ("resolved", "rejected"):
        ticket.resolved_at = now or time.time()
        outbox.emit(
            session,
            "ticket_resolved",
            ticket.id,
            {
                "ticket_id": ticket.id,
                "category": ticket.category,
                "branch": ticket.branch_code,
                "status": to,
                "days": round((ticket.resolved_at - ticket.opened_at) / 86400, 2),
                "resolved_at": iso_time(ticket.resolved_at),
            },
        )
    session.flush()
    return dump_ticket(ticket)
