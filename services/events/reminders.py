"""Work that falls due with time, done by the service's own worker: a reminder per
confirmed registration at its due time (reminder_due, once: the registration is
marked reminded in the same transaction as the event's outbox row, so a restart
neither loses nor repeats one), and partners' kept seats released to those waiting
once the release time has come."""

from __future__ import annotations

import time

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from .models import Occurrence, Programme, Registration, outbox
from .notices import registration_event
from .registrations import promote

BATCH = 200


def send_due_reminders(session: Session, now: float, batch: int = BATCH) -> int:
    stmt = (
        select(Registration)
        .where(
            Registration.reminded_at.is_(None),
            Registration.reminder_due_at <= now,
            Registration.status == "confirmed",
        )
        .order_by(Registration.reminder_due_at)
        .limit(batch)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)  # replicas share the work
    due = list(session.scalars(stmt))
    sent = []
    for registration in due:
        registration.reminded_at = now
        occurrence = session.get(Occurrence, registration.occurrence_seq)
        if occurrence.status != "scheduled" or occurrence.starts_at <= now:
            continue  # too late to remind: marked, not sent
        programme = session.get(Programme, occurrence.programme_seq)
        data = registration_event(programme, occurrence, registration)
        sent.append(("reminder_due", registration.id, {**data, "title": programme.title}))
    session.flush()
    if sent:
        outbox.emit_many(session, sent)
    return len(due)


def release_quotas(session: Session, now: float, reminder_hours: float) -> int:
    """Occurrences past their partners' release time, with people waiting: the
    seats kept and still empty go to them, first come first."""
    waiting = exists().where(
        Registration.occurrence_seq == Occurrence.seq, Registration.status == "waitlisted"
    )
    rows = session.execute(
        select(Occurrence, Programme)
        .join(Programme, Programme.seq == Occurrence.programme_seq)
        .where(
            Occurrence.status == "scheduled",
            Occurrence.starts_at > now,
            Occurrence.starts_at - Programme.quota_release_hours * 3600 <= now,
            waiting,
        )
        .order_by(Occurrence.seq)
        .limit(BATCH)
    ).all()
    promoted = 0
    for occurrence, programme in rows:
        session.refresh(occurrence, with_for_update=True)
        promoted += promote(session, programme, occurrence, reminder_hours, programme.capacity)
    return promoted


class Reminders:
    """The service's worker (chassis/nameko/background.py runs it)."""

    def __init__(self, database, reminder_hours: float, poll_seconds: float):
        self.database = database
        self.reminder_hours = reminder_hours
        self.poll_seconds = poll_seconds
        # A burst of registrations is looked at once, not each on its own.
        self.gather_seconds = 0.2

    def run_once(self) -> int:
        now = time.time()
        with self.database.transaction() as session:
            done = send_due_reminders(session, now)
        with self.database.transaction() as session:
            promoted = release_quotas(session, now, self.reminder_hours)
        # Promotions are done once: an occurrence left with people waiting and no
        # seat is not work to do again at once.
        return done + (1 if promoted else 0)

    def reset(self) -> None:
        pass

    def close(self) -> None:
        pass
