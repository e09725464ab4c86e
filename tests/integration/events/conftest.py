"""Community programmes' domain on a migrated database (SQLite, then PostgreSQL),
with the read models of branches and staff filled as the other services' events
would fill them."""

import datetime as dt

import pytest

from chassis.context import SYSTEM, Caller
from services.events import partners, programmes, readmodels
from services.events.models import branches
from services.events.times import today
from tests.support import emitted, read, run  # noqa: F401 (the tests import them from here)

KMN = Caller("k-kmn", "branch", branch="KMN")
SPN = Caller("k-spn", "branch", branch="SPN")
INTEGRATOR = Caller("k-dash", "integrator")


def partner_key(partner_id: str) -> Caller:
    return Caller(f"k-{partner_id}", "partner", partner=partner_id)


@pytest.fixture
def events_db(part_db):
    db = part_db("events")
    with db.transaction() as session:
        for code in ("SPN", "KMN", "PDT"):
            branches.seen(session, {"code": code, "name": f"Cabang {code}"})
        readmodels.staff_seen(
            session, {"id": "S000003", "name": "Rina Marlina", "branch": "SPN", "active": True}
        )
    return db


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
