"""Demo data, loaded on first run: a season of community programmes at the city
library's branches with the schools, the university and the community groups of
Sungai Penuh and Kerinci, with registrations, check-ins and occurrences already
held. Times are relative to today, so the season is always half past, half to come."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from chassis.context import SYSTEM
from chassis.db import DatabaseSession

from . import checkin, partners, programmes, readmodels
from .contract import PARTNER_ID
from .models import Branch, Occurrence, Registration, branches
from .registrations import _register_one
from .times import epoch_of

BRANCHES = [
    ("SPN", "Perpustakaan Kota Sungai Penuh (Pusat)"),
    ("PDT", "Perpustakaan Cabang Pondok Tinggi"),
    ("KMN", "Perpustakaan Cabang Kumun Debai"),
    ("HRW", "Perpustakaan Cabang Hamparan Rawang"),
    ("PSB", "Perpustakaan Cabang Pesisir Bukit"),
]
# Presenters from the staff (as the people service's events would tell them).
STAFF = [
    ("S000001", "Dra. Yusnimar Hasan", "SPN"),
    ("S000003", "Rina Marlina, S.Hum.", "SPN"),
]
HOST = "host"  # in a row's partners: the first that follows hosts the programme
# (name, kind, contact, agreement years back and ahead, status); PTN0001 first.
PARTNERS = [
    ("Institut Agama Islam Negeri (IAIN) Kerinci", "university", "Humas IAIN Kerinci", 1, 2),
    ("SMA Negeri 1 Sungai Penuh", "school", "Wakasek Kesiswaan", 1, 1),
    ("SD Negeri 4 Sungai Penuh", "school", "Kepala Sekolah", 1, 1),
    ("Komunitas Literasi Kerinci Membaca", "community", "Koordinator Relawan", 1, 2),
    ("Forum Taman Bacaan Masyarakat Kerinci", "community", "Ketua Forum TBM", 2, 1),
    ("Dinas Pendidikan Kota Sungai Penuh", "government", "Sekretariat", 1, 3),
    ("TP PKK Kota Sungai Penuh", "community", "Pokja II", 1, 1),
    ("SMP Negeri 2 Kerinci", "school", "Guru Bahasa Indonesia", 3, -1),  # MoU lapsed
]
# (type, title, audience, branch, room, capacity, days from today of the first,
#  hour, minutes, RRULE or None, presenter (staff id or outside name), partners
#  [(partner index, seats)], the first the host where HOST marks the row)
PROGRAMMES = [
    ("book_discussion", "Diskusi Buku: Laskar Pelangi", "teens", "SPN", "Aula Utama", 40,
     -42, 14, 120, "FREQ=WEEKLY;INTERVAL=2;COUNT=6", "S000003", [(1, 15)]),
    ("storytime", "Dongeng Sabtu Pagi", "children", "KMN", "Ruang Baca Anak", 25,
     -35, 9, 60, "FREQ=WEEKLY;BYDAY=SA;COUNT=8", "Kak Dewi (Pendongeng Kerinci)", [(2, 10)]),
    ("information_literacy", "Literasi Informasi: Mengenali Hoaks di Media Sosial", "adults",
     "SPN", "Laboratorium Komputer", 30, -20, 9, 180, None, "S000001", [(0, 10), (5, 5)]),
    ("creative_class", "Kelas Menulis Cerpen Remaja", "teens", "PDT", "Ruang Diskusi", 8,
     -14, 15, 90, "FREQ=WEEKLY;BYDAY=WE;COUNT=4", "Komunitas Literasi Kerinci Membaca",
     [(3, 3)]),
    ("seminar", "Seminar Literasi Digital untuk Guru", "adults", "SPN", "Aula Utama", 100,
     12, 8, 240, None, "Dr. Ahmad Fauzi, M.Pd. (IAIN Kerinci)", [HOST, (0, 30), (5, 20)]),
    ("book_discussion", "Bedah Buku Sejarah Alam Kerinci", "seniors", "HRW", "Ruang Baca", 25,
     -7, 10, 120, "FREQ=MONTHLY;COUNT=3", "Forum Taman Bacaan Masyarakat Kerinci", [(4, 5)]),
    ("creative_class", "Kelas Kerajinan Anyaman Bambu", "all_ages", "PSB", "Halaman Belakang",
     8, 5, 14, 120, "FREQ=WEEKLY;BYDAY=SU;COUNT=3", "Ibu Nurhayati (Pengrajin Siulak)",
     [(6, 3)]),
    ("exhibition", "Pameran Naskah Incung Kerinci", "all_ages", "SPN", "Selasar Pameran", 200,
     20, 9, 480, "FREQ=DAILY;COUNT=3", "S000001", []),
    ("information_literacy", "Mengenal Katalog Daring dan e-Resources", "teens", "KMN",
     "Ruang Baca", 20, 9, 13, 120, None, "S000003", [(1, 10)]),
]  # fmt: skip
NAMES = (
    "Ahmad Rizki, Siti Aisyah, Muhammad Fajar, Nur Hidayah, Rahmat Hidayat, Dewi Sartika, "
    "Budi Santoso, Putri Ayu, Fitri Handayani, Arif Rahman, Indah Permata, Yoga Pratama, "
    "Wulan Sari, Hendra Gunawan, Lestari Ningsih, Fauzan Akbar, Mega Utami, Rizky Ramadhan, "
    "Anisa Rahmawati, Dimas Saputra, Zulkifli, Rosmaini, Syafrizal, Yenni Marlina, Irwan Efendi"
).split(", ")
AGE_GROUPS = {"children": "child", "teens": "teen", "adults": "adult", "seniors": "senior"}


def load_demo(db: DatabaseSession, today: dt.date | None = None) -> int:
    today = today or dt.date.today()
    chance = random.Random(10)  # the same demo on every first run
    with db.transaction() as session:
        if session.scalar(select(Branch.code).limit(1)) is not None:
            return 0
        for code, name in BRANCHES:
            branches.seen(session, {"code": code, "name": name})
        for staff_id, name, branch in STAFF:
            readmodels.staff_seen(
                session, {"id": staff_id, "name": name, "branch": branch, "active": True}
            )
        ids = []
        for name, kind, contact, back, ahead in PARTNERS:
            payload = {
                "name": name,
                "kind": kind,
                "contact_name": contact,
                "contact_phone": f"0748-{chance.randint(21000, 29999)}",
                "agreement_from": years_before(today, back).isoformat(),
                "agreement_until": dt.date(today.year + ahead, 12, 31).isoformat()
                if ahead >= 0
                else dt.date(today.year - 1, 6, 30).isoformat(),
            }
            ids.append(partners.create_partner(session, payload, SYSTEM)["id"])
        for row in PROGRAMMES:
            _programme(session, row, ids, chance, today)
    return len(BRANCHES) + len(PARTNERS) + len(PROGRAMMES)


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` earlier; 28 February for a 29th that year has not."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _programme(session, row, partner_ids, chance, today) -> None:
    kind, title, audience, branch, room, capacity, days, hour, minutes, rule, presenter, co = row
    hosted = co[:1] == [HOST]
    co = co[1:] if hosted else co
    host = co[0] if hosted else None
    first = dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour))
    payload = {
        "programme_type": kind,
        "title": title,
        "description": f"{title}. Terbuka untuk umum, gratis; daftar lebih dahulu.",
        "audience": audience,
        "branch": branch,
        "room": room,
        "capacity": capacity,
        "presenter": {"staff_id": presenter}
        if presenter[:1] == "S" and presenter[1:].isdigit()
        else {"name": presenter},
        "host_partner_id": host and partner_ids[host[0]],
        "host_seats": host[1] if host else 0,
        "partners": [{"partner_id": partner_ids[i], "seats": s} for i, s in co if (i, s) != host],
        "quota_release_hours": 48,
        "schedule": {
            "starts_at": first.isoformat(),
            "duration_minutes": minutes,
            "rrule": rule,
        },
    }
    pid = programmes.create_programme(session, payload, SYSTEM)["id"]
    programmes.transition(session, pid, {"to": "published"}, SYSTEM)
    programme = programmes.find_programme(session, pid)
    now = epoch_of(dt.datetime.combine(today, dt.time(12)))
    occurrences = session.scalars(
        select(Occurrence).where(Occurrence.programme_seq == programme.seq)
    ).all()
    for occurrence in occurrences:
        held = occurrence.starts_at < now
        wanted = int(min(capacity, 8) * chance.uniform(0.6, 1.25))  # a light first run
        for n in range(wanted):
            name = f"{chance.choice(NAMES)} {n + 1}"
            data = {
                "name": name,
                "contact": f"08{chance.randint(1100000000, 1399999999)}",
                "age_group": AGE_GROUPS.get(audience),
            }
            partner = None
            if co and chance.random() < 0.4:
                partner = PARTNER_ID.parse(partner_ids[co[0][0]])
            early = occurrence.starts_at - 3 * 86400  # as if registered three days before
            _register_one(session, programme, occurrence, data, partner, early, 24)
        if not held:
            continue
        for registration in session.scalars(
            select(Registration).where(
                Registration.occurrence_seq == occurrence.seq,
                Registration.status == "confirmed",
            )
        ):
            registration.reminded_at = occurrence.starts_at - 86400
            if chance.random() < 0.82:
                registration.checked_in_at = occurrence.starts_at + 300
        for _ in range(chance.randint(0, 4)):
            checkin.walk_in(session, occurrence.id, {"age_group": AGE_GROUPS.get(audience)}, SYSTEM)
        checkin.complete_occurrence(session, occurrence.id, SYSTEM)
    session.flush()
    if all(o.status == "completed" for o in occurrences):
        programmes.transition(session, pid, {"to": "completed"}, SYSTEM)
