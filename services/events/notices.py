"""What a registration's events say (never the participant's name or contact), and
when its reminder falls due."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .contract import PARTNER_ID
from .models import Occurrence, Programme, Registration
from .times import iso_local

# How long before an occurrence a confirmed participant is reminded (REMINDER_HOURS
# in the service's configuration; the domain's default).
REMINDER_HOURS = 24.0


def registration_event(
    programme: Programme, occurrence: Occurrence, registration: Registration, reason=None
) -> dict:
    return {
        "registration_id": registration.id,
        "occurrence_id": occurrence.id,
        "programme_id": programme.id,
        "branch": programme.branch_code,
        "starts_at": iso_local(occurrence.starts_at),
        "status": registration.status,
        "partner_id": registration.partner_seq and PARTNER_ID.format(registration.partner_seq),
        "age_group": registration.age_group,
        "reason": reason,
    }


def reminder_time(occurrence: Occurrence, hours: float = REMINDER_HOURS) -> float:
    return occurrence.starts_at - hours * 3600


def schedule_reminders(session: Session, occurrence: Occurrence) -> None:
    """An occurrence moved: the reminders not yet sent fall due at the new time."""
    session.execute(
        update(Registration)
        .where(
            Registration.occurrence_seq == occurrence.seq,
            Registration.reminded_at.is_(None),
            Registration.reminder_due_at.is_not(None),
        )
        .values(reminder_due_at=reminder_time(occurrence))
    )


def active_registrations(session: Session, occurrence: Occurrence) -> list[Registration]:
    return list(
        session.scalars(
            select(Registration)
            .where(
                Registration.occurrence_seq == occurrence.seq,
                Registration.status.in_(("confirmed", "waitlisted")),
            )
            .order_by(Registration.seq)
        )
    )
