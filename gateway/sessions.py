"""Page sessions: a key typed once on /masuk becomes a random token that the
browser keeps as a cookie (gateway/edge/signin.py) and the gateway as its SHA-256.
A session is read from the database on every request, never cached: signing out,
and revoking the key, end it at once in every gateway process."""

from __future__ import annotations

import hashlib
import secrets
import time

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from chassis.context import Caller

from .keys import BadKey, caller_of
from .models import ApiClient, PageSession

# A working day at the door and then some; the cookie lives as long.
SESSION_SECONDS = 12 * 3600


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, key_id: str) -> str:
    """A new session for a verified key: its token, which is kept nowhere else. The
    sessions ended by time go at the same moment (no sweeper to run)."""
    now = time.time()
    session.execute(delete(PageSession).where(PageSession.expires_at <= now))
    token = secrets.token_urlsafe(32)
    session.add(
        PageSession(
            token_hash=_hash(token), key_id=key_id, created_at=now, expires_at=now + SESSION_SECONDS
        )
    )
    return token


def close_session(session: Session, token: str) -> None:
    session.execute(delete(PageSession).where(PageSession.token_hash == _hash(token)))


def verify_session(session: Session, token: str) -> tuple[Caller, int]:
    """The caller a session stands for, and its key's rate limit; BadKey if the
    session is unknown or over, or its key revoked."""
    client = session.scalar(
        select(ApiClient)
        .join(PageSession, PageSession.key_id == ApiClient.key_id)
        .where(
            PageSession.token_hash == _hash(token),
            PageSession.expires_at > time.time(),
            ApiClient.revoked_at.is_(None),
        )
    )
    if client is None:
        raise BadKey()
    return caller_of(client), client.rate_limit


def form_token(token: str) -> str:
    """The token a signed-in page's form carries (CSRF): derived from the session's,
    which a page's HTML never shows, and not the hash the database keeps."""
    return hashlib.sha256(b"form\0" + token.encode()).hexdigest()
