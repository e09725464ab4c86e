"""Campaigns: a template version applied to a subject between two days, opened by
hand or by the events that end a programme (once per subject, however often they
arrive), with invited respondents' one-time tokens and a public link.

Who sees a campaign: headquarters all; a branch key its own branch's; a partner
key those of programmes it co-hosted."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from chassis.context import Caller
from chassis.errors import Conflict, Forbidden, Gone, field_error
from chassis.pagination import Keyset
from chassis.records import get_or_not_found
from chassis.schemas import load

from .builtin import POST_EVENT_TEMPLATE, TRAINING_TEMPLATE
from .contract import CAMPAIGN_ID, CampaignInput, CampaignQuery, InvitationsInput
from .models import Campaign, Invitation, branches, outbox
from .templates import find_template

campaign_input, campaign_query, invitations_input = (
    CampaignInput(),
    CampaignQuery(),
    InvitationsInput(),
)
NEWEST = Keyset(Campaign.seq, descending=True)
OPEN_DAYS = 14  # how long a campaign opened by an event stays open


def new_token() -> str:
    return secrets.token_urlsafe(16)  # 22 characters, 128 bits


def survey_link(token: str | None) -> str | None:
    return f"/s/{token}" if token else None


def dump_campaign(c: Campaign) -> dict:
    return {
        "id": c.id,
        "template": c.template_code,
        "version": c.template_version,
        "subject_type": c.subject_type,
        "subject_id": c.subject_id,
        "title": c.title,
        "branch": c.branch_code,
        "partners": c.partners or [],
        "opens_on": c.opens_on.isoformat(),
        "closes_on": c.closes_on.isoformat(),
        "status": c.status,
        "invited": c.invited,
        "responses": c.responses,
        "public_link": survey_link(c.public_code),
        "result": c.summary,  # as it was published when it closed
    }


def may_see(caller: Caller, campaign: Campaign) -> bool:
    if caller.is_admin:
        return True
    if caller.role == "branch":
        return campaign.branch_code is not None and caller.branch == campaign.branch_code
    if caller.role == "partner":
        return caller.partner in (campaign.partners or [])
    return False


def find_campaign(session: Session, campaign_id, for_update: bool = False) -> Campaign:
    return get_or_not_found(
        session, Campaign, CAMPAIGN_ID.parse(campaign_id), noun="campaign",
        named=campaign_id, for_update=for_update,
    )  # fmt: skip


def campaign_for(session: Session, campaign_id, caller: Caller, **kw) -> Campaign:
    campaign = find_campaign(session, campaign_id, **kw)
    if not may_see(caller, campaign):
        raise Forbidden(f"this key may not see campaign {campaign_id}", {"id": campaign_id})
    return campaign


def _emit_opened(session: Session, c: Campaign) -> None:
    outbox.emit(
        session,
        "survey_opened",
        c.id,
        {
            "campaign_id": c.id,
            "template": c.template_code,
            "version": c.template_version,
            "subject_type": c.subject_type,
            "subject_id": c.subject_id,
            "branch": c.branch_code,
            "opens_on": c.opens_on.isoformat(),
            "closes_on": c.closes_on.isoformat(),
            "invited": c.invited,
        },
    )


def open_campaign(
    session: Session, payload: dict, caller: Caller, today: dt.date | None = None
) -> dict:
    caller.require_role("branch")
    data = load(campaign_input, payload)
    today = today or dt.date.today()
    branch = data.get("branch")
    if caller.role == "branch":
        if branch is None:
            raise Forbidden("a branch key opens campaigns about its own branch", {})
        caller.require_branch(branch)
    if branch is not None:
        branches.require(session, branch)
    template = find_template(session, data["template"], data.get("version"))
    opens_on = data.get("opens_on") or today
    if data["closes_on"] < opens_on:
        raise field_error("closes_on", "Must not be before opens_on.")
    campaign = Campaign(
        template_code=template.code,
        template_version=template.version,
        subject_type=data["subject_type"],
        subject_id=data["subject_id"],
        title=data["title"],
        branch_code=branch,
        partners=data.get("partners") or [],
        opens_on=opens_on,
        closes_on=data["closes_on"],
        public_code=new_token() if data.get("public", True) else None,
    )
    try:
        with session.begin_nested():
            session.add(campaign)
            session.flush()
    except IntegrityError as exc:
        raise Conflict(
            f"{template.code} already has a campaign about {data['subject_id']}.",
            {"subject_id": data["subject_id"], "template": template.code},
        ) from exc
    _emit_opened(session, campaign)
    return dump_campaign(campaign)


def list_campaigns(session: Session, params: dict, caller: Caller) -> dict:
    query = load(campaign_query, params)
    stmt = select(Campaign)
    if caller.role == "branch":
        stmt = stmt.where(Campaign.branch_code == caller.branch)
    elif not caller.is_admin:
        raise Forbidden(f"role {caller.role!r} may not list campaigns", {"role": caller.role})
    for column, name in (
        (Campaign.branch_code, "branch"),
        (Campaign.status, "status"),
        (Campaign.template_code, "template"),
    ):
        if query.get(name):
            stmt = stmt.where(column == query[name])
    rows, cursor = NEWEST.fetch(session, stmt, query["limit"], query.get("cursor"))
    return {"items": [dump_campaign(c) for c in rows], "next_cursor": cursor}


def get_campaign(session: Session, campaign_id: str, caller: Caller) -> dict:
    return dump_campaign(campaign_for(session, campaign_id, caller))


# -- invitations -------------------------------------------------------------------------
def _invite(session: Session, campaign: Campaign, respondents: list[str]) -> int:
    """Invite each respondent not invited yet; returns how many were new."""
    have = set(
        session.scalars(
            select(Invitation.respondent).where(
                Invitation.campaign_seq == campaign.seq, Invitation.respondent.in_(respondents)
            )
        )
    )
    new = [r for r in dict.fromkeys(respondents) if r not in have]
    session.add_all(
        Invitation(campaign_seq=campaign.seq, respondent=r, token=new_token()) for r in new
    )
    campaign.invited += len(new)
    session.flush()
    return len(new)


def invite(session: Session, campaign_id: str, payload: dict, caller: Caller) -> dict:
    campaign = campaign_for(session, campaign_id, caller, for_update=True)
    if caller.role == "partner":
        raise Forbidden("a partner key reads results only", {})
    if campaign.status != "open":
        raise Gone(f"Campaign {campaign_id} has closed.", {"id": campaign_id})
    data = load(invitations_input, payload)
    _invite(session, campaign, data["respondents"])
    return list_invitations(session, campaign_id, caller)


def list_invitations(session: Session, campaign_id: str, caller: Caller) -> dict:
    """The links to send: only to headquarters and the campaign's branch."""
    campaign = campaign_for(session, campaign_id, caller)
    caller.require_role("branch")
    rows = session.scalars(
        select(Invitation).where(Invitation.campaign_seq == campaign.seq).order_by(Invitation.seq)
    )
    items = [
        {"respondent": i.respondent, "link": survey_link(i.token), "used": i.used_on is not None}
        for i in rows
    ]
    return {"campaign_id": campaign.id, "items": items}


# -- opened by events ----------------------------------------------------------------------
def _opened_once(session: Session, template_code: str, subject_type: str, subject_id: str, make):
    """The campaign about this subject, made by `make()` the first time."""
    stmt = select(Campaign).where(
        Campaign.template_code == template_code,
        Campaign.subject_type == subject_type,
        Campaign.subject_id == subject_id,
    )
    found = session.scalar(stmt.with_for_update())
    if found is not None:
        return found, False
    template = find_template(session, template_code)
    campaign = make(template)
    session.add(campaign)
    session.flush()
    return campaign, True


def event_completed(session: Session, data: dict, today: dt.date | None = None) -> Campaign:
    """An occurrence of a community programme ended: its post-event survey,
    inviting those who checked in and can be reached (by their registration ids),
    so that the response rate counts only those who could answer."""
    day = today or data["ends_at"].date()

    def make(template):
        return Campaign(
            template_code=template.code,
            template_version=template.version,
            subject_type="event",
            subject_id=data["occurrence_id"],
            title=data["title"],
            branch_code=data["branch"],
            partners=list(data.get("partners") or []),
            opens_on=day,
            closes_on=day + dt.timedelta(days=OPEN_DAYS),
            public_code=None,
        )

    campaign, new = _opened_once(session, POST_EVENT_TEMPLATE, "event", data["occurrence_id"], make)
    if new:
        reachable = data.get("invitable")
        _invite(session, campaign, list(data["attendees"] if reachable is None else reachable))
        _emit_opened(session, campaign)
    return campaign


def training_completed(session: Session, data: dict) -> Campaign:
    """A participant completed a staff-development programme: the programme's
    evaluation (opened with the first completion), and their invitation to it."""
    day = data["completed_on"]

    def make(template):
        return Campaign(
            template_code=template.code,
            template_version=template.version,
            subject_type="programme",
            subject_id=data["programme_id"],
            title=data["topic"],
            branch_code=None,
            partners=[],
            opens_on=day,
            closes_on=day + dt.timedelta(days=OPEN_DAYS),
            public_code=None,
        )

    campaign, new = _opened_once(
        session, TRAINING_TEMPLATE, "programme", data["programme_id"], make
    )
    if campaign.status == "open":
        _invite(session, campaign, [data["staff_id"]])
    if new:
        _emit_opened(session, campaign)
    return campaign
