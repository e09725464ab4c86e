"""Certificates of completion: issued when a participant completes a programme,
checked by anyone holding the code (printed on it, and in its QR code as the public
verification URL), revocable with a reason. The verification shows the holder's
name and the programme, never more of the person."""

from __future__ import annotations

import base64
import datetime as dt
import secrets
import time

from sqlalchemy.orm import Session

from chassis.context import Caller
from chassis.errors import Conflict, NotFound
from chassis.schemas import load

from .certificate_pdf import render_pdf
from .contract import CERTIFICATE_CODE, PROGRAMME_ID, STAFF_ID, RevokeInput
from .models import Certificate, Programme, Staff, outbox
from .programmes import days, sessions_of

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # CERTIFICATE_CODE's, no look-alikes
revoke_input = RevokeInput()


def new_code(session: Session) -> str:
    while True:  # 31**10 codes: a repeat is all but impossible, and checked
        code = "".join(secrets.choice(ALPHABET) for _ in range(10))
        if session.get(Certificate, code) is None:
            return code


def issue_certificate(session: Session, programme: Programme, staff: Staff, today: dt.date) -> str:
    certificate = Certificate(
        code=new_code(session),
        staff_seq=staff.seq,
        programme_seq=programme.seq,
        holder=staff.name,
        issued_on=today,
    )
    session.add(certificate)
    session.flush()
    outbox.emit(session, "certificate_issued", staff.id, _event(certificate))
    return certificate.code


def _event(certificate: Certificate) -> dict:
    return {
        "code": certificate.code,
        "staff_id": STAFF_ID.format(certificate.staff_seq),
        "programme_id": PROGRAMME_ID.format(certificate.programme_seq),
        "revoked_at": _iso(certificate.revoked_at),
        "reason": certificate.revoked_reason,
    }


def _iso(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat(timespec="seconds")


def find_certificate(session: Session, code, for_update: bool = False) -> Certificate:
    fit = isinstance(code, str) and CERTIFICATE_CODE.match(code)
    found = session.get(Certificate, code, with_for_update=for_update) if fit else None
    if found is None:
        raise NotFound(f"No certificate {code!r}.", {"code": code})
    return found


def _verification(session: Session, certificate: Certificate) -> dict:
    programme = session.get(Programme, certificate.programme_seq)
    first, last = days(sessions_of(session, programme))
    return {
        "code": certificate.code,
        "valid": certificate.revoked_at is None,
        "holder": certificate.holder,
        "topic": programme.topic,
        "kind": programme.kind,
        "first_day": (first or certificate.issued_on).isoformat(),
        "last_day": (last or certificate.issued_on).isoformat(),
        "hours": programme.hours,
        "issued_on": certificate.issued_on.isoformat(),
        "revoked_at": _iso(certificate.revoked_at),
        "revoked_reason": certificate.revoked_reason,
    }


def _for(session: Session, code, caller: Caller, for_update: bool = False) -> Certificate:
    """A certificate `caller` may see in full: admins any, a branch key its staff's."""
    caller.require_role("branch")
    certificate = find_certificate(session, code, for_update)
    caller.require_branch(session.get(Staff, certificate.staff_seq).branch_code)
    return certificate


def dump_certificate(session: Session, certificate: Certificate) -> dict:
    return {
        **_verification(session, certificate),
        "staff_id": STAFF_ID.format(certificate.staff_seq),
        "programme_id": PROGRAMME_ID.format(certificate.programme_seq),
    }


def get_certificate(session: Session, code: str, caller: Caller) -> dict:
    return dump_certificate(session, _for(session, code, caller))


def verify_certificate(session: Session, code: str) -> dict:
    """What anyone with the code may know: no key is needed."""
    return _verification(session, find_certificate(session, code))


def revoke_certificate(session: Session, code: str, payload: dict, caller: Caller) -> dict:
    caller.require_role()
    reason = load(revoke_input, payload)["reason"]
    certificate = find_certificate(session, code, for_update=True)
    if certificate.revoked_at is not None:
        raise Conflict(f"Certificate {code} was revoked already.", {"code": code})
    certificate.revoked_at, certificate.revoked_reason = time.time(), reason
    session.flush()
    outbox.emit(
        session, "certificate_revoked", STAFF_ID.format(certificate.staff_seq), _event(certificate)
    )
    return dump_certificate(session, certificate)


def verification_url(base_url: str, code: str) -> str:
    return f"{base_url.rstrip('/')}/verify/{code}"


def certificate_pdf(session: Session, code: str, caller: Caller, base_url: str) -> dict:
    certificate = _for(session, code, caller)
    data = _verification(session, certificate)
    pdf = render_pdf(data, verification_url(base_url, certificate.code))
    return {
        "filename": f"sertifikat-{certificate.code}.pdf",
        "pdf_base64": base64.b64encode(pdf).decode(),
    }
