"""Community programmes' test data, for the domain's tests and the service's: the
callers, a partner, a programme published, people registering, and what the
outbox and the registrations hold."""

import datetime as dt

import eventlet
from sqlalchemy import func, select

from chassis.context import SYSTEM, Caller
from services.events import partners, programmes
from services.events.models import Registration
from services.events.times import today
from tests.support import emitted, read, run  # noqa: F401 (the tests import them from here)

KMN = Caller("k-kmn", "branch", branch="KMN")
SPN = Caller("k-spn", "branch", branch="SPN")
INTEGRATOR = Caller("k-dash", "integrator")


def partner_key(partner_id: str) -> Caller:
    return Caller(f"k-{partner_id}", "partner", partner=partner_id)


def new_partner(db, name="SMA Negeri 1 Sungai Penuh", until=None, status="active") -> str:
    payload = {
        "name": name,
        "kind": "school",
        "contact_name": "Wakasek",
        "contact_email": "humas@sman1.sch.id",
        "agreement_from": (today() - dt.timedelta(days=365)).isoformat(),
        "agreement_until": (until or today() + dt.timedelta(days=365)).isoformat(),
        "status": status,
    }
    return run(db, partners.create_partner, payload, SYSTEM)["id"]


def programme_payload(days=7, rrule=None, capacity=10, branch="KMN", cohosts=(), **more):
    """At 09:00 WIB `days` after the branch's today (Asia/Jakarta's, not the machine's
    zone's: a day counted there can be WIB's today or yesterday)."""
    start = dt.datetime.combine(today() + dt.timedelta(days=days), dt.time(9))
    return {
        "programme_type": "book_discussion",
        "title": "Diskusi Buku: Bumi Manusia",
        "audience": "teens",
        "branch": branch,
        "room": "Ruang Baca",
        "capacity": capacity,
        "presenter": {"name": "Komunitas Literasi Kerinci Membaca"},
        "partners": [{"partner_id": p, "seats": s} for p, s in cohosts],
        "schedule": {"starts_at": start.isoformat(), "duration_minutes": 90, "rrule": rrule},
        **more,
    }


def published(db, **kwargs) -> dict:
    made = run(db, programmes.create_programme, programme_payload(**kwargs), SYSTEM)
    return run(db, programmes.transition, made["id"], {"to": "published"}, SYSTEM)


def person(i: int) -> dict:
    return {"name": f"Peserta {i}", "contact": f"0812-7400-{i:04d}", "age_group": "teen"}


def at_once(calls) -> list:
    """Every call in a green thread of its own, all started together."""
    pool = eventlet.GreenPool(len(calls))
    threads = [pool.spawn(call) for call in calls]
    return [t.wait() for t in threads]


def statuses(db) -> dict[str, int]:
    with db.reading() as session:
        rows = session.execute(
            select(Registration.status, func.count()).group_by(Registration.status)
        )
        return dict(rows.all())
