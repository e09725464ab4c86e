"""API keys: `pk_<key id>_<secret>`, shown once at creation, stored hashed."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.chassis.context import ROLES, Caller
from services.chassis.errors import NotFound, field_error

from .models import ApiClient

PREFIX = "pk"


class BadKey(Exception):
    """The Authorization header names no live key."""


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(
    session: Session,
    name: str,
    role: str,
    branch: str | None = None,
    partner: str | None = None,
    rate_limit: int = 20,
) -> tuple[ApiClient, str]:
    """Create a client; returns it and its key, which is not kept anywhere."""
    if role not in ROLES or role == "service":
        raise field_error("role", f"Unknown role {role!r}.")
    if role == "branch" and not branch:
        raise field_error("branch", "A branch key needs its branch code.")
    if role == "partner" and not partner:
        raise field_error("partner", "A partner key needs its partner id.")
    key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    client = ApiClient(
        key_id=key_id,
        name=name,
        role=role,
        branch=branch,
        partner=partner,
        secret_hash=_hash(secret),
        rate_limit=rate_limit,
        created_at=time.time(),
    )
    session.add(client)
    return client, f"{PREFIX}_{key_id}_{secret}"


def revoke_key(session: Session, key_id: str) -> None:
    done = session.execute(
        update(ApiClient).where(ApiClient.key_id == key_id).values(revoked_at=time.time())
    )
    if not done.rowcount:
        raise NotFound(f"No key {key_id!r}.", {"key_id": key_id})


def parse_key(key: str) -> tuple[str, str]:
    prefix, _, rest = key.partition("_")
    key_id, _, secret = rest.partition("_")
    if prefix != PREFIX or not key_id or not secret:
        raise BadKey("The API key is malformed.")
    return key_id, secret


def verify_key(session: Session, key: str) -> tuple[Caller, int]:
    """The caller a key stands for, and its rate limit; BadKey if none."""
    key_id, secret = parse_key(key)
    client = session.scalar(select(ApiClient).where(ApiClient.key_id == key_id))
    if client is None or client.revoked_at is not None:
        raise BadKey("The API key is unknown or revoked.")
    if not hmac.compare_digest(client.secret_hash, _hash(secret)):
        raise BadKey("The API key is unknown or revoked.")
    caller = Caller(
        client_id=client.key_id,
        role=client.role,
        branch=client.branch,
        partner=client.partner,
    )
    return caller, client.rate_limit
