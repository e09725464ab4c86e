"""Integrators' endpoints: registering one, its secret and its rotation, disabling
and enabling it. An endpoint belongs to the client that registered it: an
integrator sees and changes only its own, an admin every one."""

from __future__ import annotations

import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from chassis.context import Caller
from chassis.errors import Forbidden
from chassis.event_catalogue import check_event_types
from chassis.records import get_or_not_found
from chassis.schemas import load
from chassis.times import iso_time, iso_time_or_none

from . import signing
from .addresses import check_url
from .contract import ENDPOINT_ID, DisableInput, EndpointInput
from .models import Endpoint, outbox
from .settings import Settings
from .waiting import bound, hold, release

ROLE = "integrator"  # besides admin, who may do everything


def dump(endpoint: Endpoint, now: float | None = None) -> dict:
    now = time.time() if now is None else now
    grace = endpoint.previous_secret_until
    return {
        "id": endpoint.id,
        "owner": endpoint.owner,
        "url": endpoint.url,
        "event_types": list(endpoint.event_types),
        "ordered": endpoint.ordered,
        "description": endpoint.description,
        "enabled": endpoint.enabled,
        "disabled_reason": endpoint.disabled_reason,
        "disabled_at": iso_time_or_none(endpoint.disabled_at),
        "created_at": iso_time(endpoint.created_at),
        "previous_secret_expires_at": iso_time(grace) if grace and grace > now else None,
    }


def _with_secret(endpoint: Endpoint) -> dict:
    return {**dump(endpoint), "secret": endpoint.secret}


def find(session: Session, endpoint_id: str, caller: Caller, for_update: bool = False):
    """The endpoint, if the caller may see it: its owner or an admin."""
    caller.require_role(ROLE)
    endpoint = get_or_not_found(
        session,
        Endpoint,
        ENDPOINT_ID.parse(endpoint_id),
        noun="endpoint",
        named=endpoint_id,
        for_update=for_update,
    )
    if not caller.is_admin and endpoint.owner != caller.client_id:
        raise Forbidden("This endpoint belongs to another client.", {"endpoint_id": endpoint_id})
    return endpoint


def checked(payload: dict, caller: Caller, settings: Settings) -> dict:
    """A registration's input, loaded and its event types checked against the event
    catalogue (a field error otherwise)."""
    caller.require_role(ROLE)
    data = load(EndpointInput(), payload)
    check_event_types(data["event_types"], settings.catalogue)
    return data


def register(session: Session, payload: dict, caller: Caller, settings: Settings) -> dict:
    data = checked(payload, caller, settings)
    now = time.time()
    endpoint = Endpoint(
        owner=caller.client_id,
        url=check_url(data["url"], settings.allow_private_urls),
        event_types=sorted(set(data["event_types"])),
        ordered=data["ordered"],
        description=data["description"],
        secret=signing.new_secret(),
        enabled=True,
        created_at=now,
        updated_at=now,
    )
    session.add(endpoint)
    session.flush()
    return _with_secret(endpoint)


def event_types(session: Session) -> list[str]:
    """Every pattern some endpoint takes, enabled or not (a disabled one keeps its
    events, waiting): what the broker brings the service (chassis/nameko/fan_in.py)."""
    return [p for types in session.scalars(select(Endpoint.event_types)) for p in types]


def list_endpoints(session: Session, caller: Caller) -> dict:
    caller.require_role(ROLE)
    query = select(Endpoint).order_by(Endpoint.seq)
    if not caller.is_admin:
        query = query.where(Endpoint.owner == caller.client_id)
    return {"items": [dump(e) for e in session.scalars(query)]}


def get(session: Session, endpoint_id: str, caller: Caller) -> dict:
    return dump(find(session, endpoint_id, caller))


def rotate_secret(session: Session, endpoint_id: str, caller: Caller, settings: Settings):
    """A new secret; the old one still signs for the grace period, so the receiver
    can move to the new one without losing a delivery."""
    endpoint = find(session, endpoint_id, caller, for_update=True)
    now = time.time()
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_until = now + settings.secret_grace_seconds
    endpoint.secret = signing.new_secret()
    endpoint.updated_at = now
    return _with_secret(endpoint)


def signing_secrets(endpoint, now: float) -> list[str]:
    """The secrets a delivery is signed with now: the current one, and the previous
    one during its grace period."""
    kept = endpoint.previous_secret and (endpoint.previous_secret_until or 0) > now
    return [endpoint.secret, endpoint.previous_secret] if kept else [endpoint.secret]


def disable(session: Session, endpoint: Endpoint, reason: str, now: float) -> None:
    """Stop delivering to it (its pending deliveries wait, as its new events will),
    and tell the platform."""
    if not endpoint.enabled:
        return
    endpoint.enabled = False
    endpoint.disabled_reason = reason
    endpoint.disabled_at = endpoint.updated_at = now
    hold(session, endpoint.seq, now)
    outbox.emit(
        session,
        "endpoint_disabled",
        endpoint.id,
        {
            "endpoint_id": endpoint.id,
            "owner": endpoint.owner,
            "url": endpoint.url,
            "reason": reason,
            "disabled_at": iso_time(now),
        },
    )


def disable_by_caller(session: Session, endpoint_id: str, payload: dict, caller: Caller) -> dict:
    endpoint = find(session, endpoint_id, caller, for_update=True)
    reason = load(DisableInput(), payload)["reason"] or f"disabled by {caller.client_id}"
    disable(session, endpoint, reason, time.time())
    return dump(endpoint)


def enable(session: Session, endpoint_id: str, caller: Caller, settings: Settings) -> dict:
    """Deliver again: the deliveries that waited (within the bounds of waiting) are
    tried now, oldest first, each with the whole retry period before it again. The
    URL is checked again as at registration."""
    endpoint = find(session, endpoint_id, caller, for_update=True)
    if not endpoint.enabled:
        check_url(endpoint.url, settings.allow_private_urls)
        now = time.time()
        bound(session, [endpoint.seq], now, settings)
        endpoint.enabled = True
        endpoint.disabled_reason = endpoint.disabled_at = None
        endpoint.updated_at = now
        release(session, endpoint.seq, now, settings)
    return dump(endpoint)
