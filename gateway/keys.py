"""API keys: `pk_<key id>_<secret>`, shown once at creation, stored hashed."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from chassis.context import ROLES, Caller
from chassis.errors import NotFound, field_error

from .models import ApiClient

PREFIX = "pk"
# `pustaka keys revoke` tells every gateway process over the broker, so that none
# keeps a revoked key in its cache of verified keys (gateway/edge/auth.py).
REVOKED_SOURCE, REVOKED_EVENT = "gateway", "key_revoked"
KEY_CACHE_NOTE = "a gateway process may accept it for up to 10 s more"


class BadKey(Exception):
    """The Authorization header names no live key. One message for every reason
    (missing, malformed, unknown, wrong secret, revoked): the answer tells a prober
    nothing about which keys exist."""

    def __init__(self) -> None:
        super().__init__("A valid API key is needed: send it as 'Authorization: Bearer <key>'.")


# Compared against when the key id is unknown, so that answering takes as long as
# for a known id with a wrong secret.
_NO_SECRET = hashlib.sha256(b"no key has this secret").hexdigest()


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
        raise BadKey()
    return key_id, secret


def verify_key(session: Session, key: str) -> tuple[Caller, int]:
    """The caller a key stands for, and its rate limit; BadKey if none."""
    key_id, secret = parse_key(key)
    client = session.scalar(select(ApiClient).where(ApiClient.key_id == key_id))
    matches = hmac.compare_digest(client.secret_hash if client else _NO_SECRET, _hash(secret))
    if client is None or client.revoked_at is not None or not matches:
        raise BadKey()
    return caller_of(client), client.rate_limit


def caller_of(client: ApiClient) -> Caller:
    return Caller(
        client_id=client.key_id,
        role=client.role,
        branch=client.branch,
        partner=client.partner,
    )
