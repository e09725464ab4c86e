"""Signatures as the Standard Webhooks specification has them: a secret
`whsec_<base64>`, and for each message the headers webhook-id (the event id, the
receiver's key to drop a repeat), webhook-timestamp (seconds) and
webhook-signature, `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` keyed
with the decoded secret. During a rotation a message carries one signature per
valid secret, separated by spaces, so a receiver with either verifies it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

PREFIX = "whsec_"
SECRET_BYTES = 32


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(PREFIX))


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secrets_: list[str], message_id: str, timestamp: int, body: bytes) -> dict:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(signature(s, message_id, timestamp, body) for s in secrets_),
    }
