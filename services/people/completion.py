"""Completing a programme settles each enrolled participant: one who attended enough
of its sessions (its completion_percent, 80 by default) has completed it, shows its
competencies at its level (evidence) and gets a certificate; the others have not
completed it. All in the transaction that completes the programme."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from .certificates import issue_certificate
from .enrolments import attended
from .models import Enrolment, Evidence, Programme, Staff, outbox
from .programmes import built, sessions_of


def completes(attended_sessions: int, sessions: int, percent: int) -> bool:
    """At least `percent` of the sessions attended (whole numbers: no rounding)."""
    return sessions > 0 and attended_sessions * 100 >= percent * sessions


def complete_programme(session: Session, programme: Programme, today: dt.date) -> None:
    sessions = len(sessions_of(session, programme))
    competencies = built(session, programme)
    participants = session.execute(
        select(Enrolment, Staff)
        .join(Staff, Staff.seq == Enrolment.staff_seq)
        .where(Enrolment.programme_seq == programme.seq, Enrolment.status == "enrolled")
        .order_by(Enrolment.seq)
    ).all()
    for enrolment, staff in participants:
        count = attended(session, programme, staff.seq)
        if not completes(count, sessions, programme.completion_percent):
            enrolment.status = "not_completed"
            continue
        enrolment.status, enrolment.completed_on = "completed", today
        session.add_all(
            Evidence(
                staff_seq=staff.seq,
                competency_code=c["competency"],
                level=c["level"],
                programme_seq=programme.seq,
                attained_on=today,
            )
            for c in competencies
        )
        outbox.emit(
            session,
            "training_completed",
            staff.id,
            {
                "programme_id": programme.id,
                "staff_id": staff.id,
                "branch": staff.branch_code,
                "topic": programme.topic,
                "kind": programme.kind,
                "hours": programme.hours,
                "completed_on": today.isoformat(),
            },
        )
        for c in competencies:
            outbox.emit(
                session,
                "competency_attained",
                staff.id,
                {
                    "staff_id": staff.id,
                    "competency": c["competency"],
                    "level": c["level"],
                    "programme_id": programme.id,
                    "attained_on": today.isoformat(),
                },
            )
        issue_certificate(session, programme, staff, today)
    session.flush()
