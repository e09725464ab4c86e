"""Partner institutions and their agreements (MoU). Headquarters keeps them; a
branch sees them all (to co-host with them); a partner's key sees its own only."""

from __future__ import annotations

import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from chassis.context import Caller
from chassis.errors import Conflict, Forbidden, NotFound, field_error
from chassis.records import get_or_not_found
from chassis.schemas import load

from .contract import PARTNER_ID, PartnerInput
from .models import Partner
from .times import today

partner_input = PartnerInput()


def find_partner(session: Session, partner_id, field: str = "id") -> Partner:
    return get_or_not_found(
        session, Partner, PARTNER_ID.parse(partner_id), noun="partner", named=partner_id,
        field=field,
    )  # fmt: skip


def usable_partner(session: Session, partner_id, field: str) -> Partner:
    """A partner a request names (a bad `field` if there is none) that may co-host
    today: an agreement ended or suspended stops new co-hosting."""
    try:
        partner = find_partner(session, partner_id, field)
    except NotFound as exc:  # a name in the body: a bad field, not a missing page
        raise field_error(field, exc.message) from exc
    if not partner.may_cohost(today()):
        raise Conflict(
            f"{partner.id}'s agreement is not in force ({partner.status}, until "
            f"{partner.agreement_until}); it cannot co-host.",
            {field: partner.id, "agreement_until": partner.agreement_until.isoformat()},
        )
    return partner


def require_own(caller: Caller, partner_id: str) -> None:
    """A partner key acts for its own institution only."""
    if caller.role == "partner" and caller.partner != partner_id:
        raise Forbidden(
            f"this key acts for {caller.partner!r}, not {partner_id!r}",
            {"partner_id": partner_id},
        )
    if caller.role not in ("partner", "branch") and not caller.is_admin:
        raise Forbidden(f"role {caller.role!r} may not see partners", {"role": caller.role})


def dump_partner(partner: Partner) -> dict:
    return {
        "id": partner.id,
        "name": partner.name,
        "kind": partner.kind,
        "contact_name": partner.contact_name,
        "contact_email": partner.contact_email,
        "contact_phone": partner.contact_phone,
        "agreement_from": partner.agreement_from.isoformat(),
        "agreement_until": partner.agreement_until.isoformat(),
        "status": partner.status,
        "may_cohost": partner.may_cohost(today()),
    }


def _write(partner: Partner, payload: dict) -> None:
    data = load(partner_input, payload)
    for name in (
        "name", "kind", "contact_name", "contact_email", "contact_phone",
        "agreement_from", "agreement_until", "status",
    ):  # fmt: skip
        setattr(partner, name, data.get(name))
    partner.updated_at = time.time()


def create_partner(session: Session, payload: dict, caller: Caller) -> dict:
    caller.require_role()
    partner = Partner()
    _write(partner, payload)
    session.add(partner)
    session.flush()
    return dump_partner(partner)


def change_partner(session: Session, partner_id: str, payload: dict, caller: Caller) -> dict:
    caller.require_role()
    partner = find_partner(session, partner_id)
    _write(partner, payload)
    session.flush()
    return dump_partner(partner)


def get_partner(session: Session, partner_id: str, caller: Caller) -> dict:
    require_own(caller, partner_id)
    return dump_partner(find_partner(session, partner_id))


def list_partners(session: Session, caller: Caller) -> dict:
    stmt = select(Partner).order_by(Partner.seq)
    if caller.role == "partner":
        stmt = stmt.where(Partner.seq == PARTNER_ID.parse(caller.partner or ""))
    else:
        caller.require_role("branch")
    return {"items": [dump_partner(p) for p in session.scalars(stmt)]}
