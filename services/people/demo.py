"""Demo data for staff development, loaded by `make up` on first run (when people has
no branch yet): the branches of the catalogue's demo (as its branch_updated events
will tell them; the demo is loaded before any service runs), four staff at each
with Indonesian names across the position ladder, and a year of programmes across
the four areas, up to last month: sessions, attendance, completions and
certificates; two more are scheduled ahead. It goes through the same logic as any
write, so its events reach subscribers too."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from chassis.context import SYSTEM
from chassis.db import DatabaseSession

from . import attendance, enrolments, lifecycle, programmes, records, staff
from .models import Branch, branches

BRANCHES = [
    ("SPN", "Perpustakaan Kota Sungai Penuh (Pusat)"),
    ("PDT", "Perpustakaan Cabang Pondok Tinggi"),
    ("KMN", "Perpustakaan Cabang Kumun Debai"),
    ("HRW", "Perpustakaan Cabang Hamparan Rawang"),
    ("PSB", "Perpustakaan Cabang Pesisir Bukit"),
]
# (name, branch, position, NIP or None: staff who are not civil servants have none)
STAFF = [
    ("Dra. Yusnimar Hasan", "SPN", "ahli_madya", "196805141993032004"),
    ("Hendra Saputra, S.IP.", "SPN", "ahli_muda", "198007222005011002"),
    ("Rina Marlina, S.Hum.", "SPN", "ahli_pertama", "199104032019032011"),
    ("Agus Salim", "SPN", "penyelia", "197511301999031003"),
    ("Dewi Sartika", "PDT", "mahir", "198702172010012005"),
    ("Irwan Syahputra, A.Md.", "PDT", "terampil", "199512092020121004"),
    ("Fitri Handayani, S.IP.", "PDT", "ahli_pertama", "199308262021022007"),
    ("Zulkifli", "PDT", "non_functional", None),
    ("Yulia Rahmawati", "KMN", "mahir", "198611052009022006"),
    ("Doni Kurniawan", "KMN", "terampil", "199609142022031001"),
    ("Nurul Aini, S.Sos.", "KMN", "ahli_muda", "198301282008012009"),
    ("Meli Oktaviani", "KMN", "non_functional", None),
    ("Rudi Hartono", "HRW", "penyelia", "197903191998031005"),
    ("Siti Nurjanah, A.Md.", "HRW", "terampil", "199802112023022002"),
    ("Bambang Sutrisno, S.IP.", "HRW", "ahli_pertama", "199010012018011008"),
    ("Wulan Sari", "HRW", "non_functional", None),
    ("Eko Prasetyo", "PSB", "mahir", "198405062011011006"),
    ("Ratna Dewi, S.Hum.", "PSB", "ahli_muda", "198112302006042003"),
    ("Lestari Ningsih", "PSB", "terampil", "199707272022032010"),
    ("Fadli Rahman", "PSB", "non_functional", None),
]
RATINGS = ["baik", "sangat_baik", "baik", "butuh_perbaikan", "baik"]
ROOMS = {
    "SPN": "Aula Utama",
    "PDT": "Ruang Pertemuan",
    "KMN": "Ruang Baca",
    "HRW": "Aula",
    "PSB": "Ruang Serbaguna",
}
ONLINE = {"kind": "online", "url": "https://meet.perpustakaan.sungaipenuh.example/pembinaan"}
# (months before this month, kind, topic, {competency: level}, JP, sessions, venue branch
# or None for online, trainer: a STAFF index or an outside name, capacity)
PROGRAMMES = [
    (
        12,
        "training",
        "Pelatihan Pengoperasian SLiMS untuk Layanan Sirkulasi",
        {"TI-SIPUS": 2},
        24,
        3,
        "SPN",
        1,
        12,
    ),
    (
        11,
        "workshop",
        "Workshop Pengelolaan Media Sosial Perpustakaan",
        {"TI-MEDSOS": 2},
        8,
        2,
        None,
        "Komunitas Kreatif Kerinci",
        15,
    ),
    (
        10,
        "training",
        "Pelatihan Pemanfaatan Database Jurnal Elektronik",
        {"TI-BASDAT": 2},
        16,
        2,
        "SPN",
        "Perpustakaan Nasional RI",
        10,
    ),
    (
        8,
        "workshop",
        "Workshop Pengembangan Koleksi Berbasis Kebutuhan Pemustaka",
        {"MP-KOLEKSI": 3},
        12,
        2,
        "PDT",
        0,
        10,
    ),
    (
        7,
        "seminar",
        "Seminar Penataan Ruang Baca yang Ramah Anak",
        {"MP-RUANG": 1},
        4,
        1,
        "KMN",
        "Dinas Perpustakaan dan Arsip Provinsi Jambi",
        25,
    ),
    (
        5,
        "training",
        "Pelatihan Komunikasi Efektif dan Pelayanan Prima",
        {"LP-KOMUNIKASI": 2, "LP-PRIMA": 2},
        16,
        2,
        "HRW",
        "Balai Diklat Provinsi Jambi",
        12,
    ),
    (
        3,
        "workshop",
        "Workshop Literasi Informasi untuk Pelajar",
        {"LI-PENDIDIKAN": 2, "LI-GEMAR": 1},
        8,
        2,
        "PSB",
        10,
        10,
    ),
    (
        1,
        "seminar",
        "Seminar Cek Fakta dan Literasi Digital",
        {"LI-EVALUASI": 1},
        4,
        1,
        None,
        "Mafindo Jambi",
        30,
    ),
    (
        -1,
        "training",
        "Pelatihan Katalogisasi dan Klasifikasi DDC",
        {"MP-OLAH": 3},
        24,
        3,
        "SPN",
        0,
        12,
    ),
    (
        -2,
        "workshop",
        "Workshop Alih Media Koleksi Lokal Kerinci",
        {"TI-DIGITAL": 2},
        12,
        2,
        "SPN",
        1,
        8,
    ),
]


def _month(today: dt.date, back: int) -> dt.date:
    """The first Monday of the month `back` months before today's."""
    index = today.year * 12 + today.month - 1 - back
    first = dt.date(index // 12, index % 12 + 1, 1)
    return first + dt.timedelta(days=(7 - first.weekday()) % 7)


def _payload(row, today: dt.date, ids: list[str]) -> dict:
    back, kind, topic, built, hours, count, branch, trainer, capacity = row
    start = _month(today, back)
    venue = {"kind": "room", "branch": branch, "room": ROOMS[branch]} if branch else ONLINE
    return {
        "kind": kind,
        "topic": topic,
        "competencies": [{"competency": c, "level": level} for c, level in built.items()],
        "hours": hours,
        "trainer": {"staff_id": ids[trainer]} if isinstance(trainer, int) else {"name": trainer},
        "capacity": capacity,
        "sessions": [
            {
                "date": (start + dt.timedelta(days=i)).isoformat(),
                "start": "08:30",
                "end": "15:30" if kind == "training" else "12:00",
                "venue": venue,
            }
            for i in range(count)
        ],
    }


def load_demo(db: DatabaseSession, today: dt.date | None = None) -> int:
    today = today or dt.date.today()
    chance = random.Random(9)  # the same demo on every first run
    with db.transaction() as session:
        if session.scalar(select(Branch.code).limit(1)) is not None:
            return 0
        for code, name in BRANCHES:
            branches.seen(session, {"code": code, "name": name})
        ids = []
        for name, branch, position, nip in STAFF:
            fields = {"name": name, "branch": branch, "position": position, "nip": nip}
            ids.append(staff.register_staff(session, fields, SYSTEM, today)["id"])
        for row in PROGRAMMES:
            pid = programmes.create_programme(session, _payload(row, today, ids), SYSTEM)["id"]
            _run(session, pid, row, ids, chance, today)
        # Last year's ratings, so the records show credit points.
        for i, staff_id in enumerate(ids):
            rating = {"rating": RATINGS[i % len(RATINGS)]}
            records.rate_staff(session, staff_id, today.year - 1, rating, SYSTEM)
    return len(BRANCHES) + len(STAFF) + len(PROGRAMMES)


def _run(session, pid: str, row, ids: list[str], chance: random.Random, today: dt.date) -> None:
    """Schedule it, enrol a share of the staff, and if its month is past, hold its
    sessions (about nine in ten attend each) and complete it on its last day."""
    back, count, trainer = row[0], row[5], row[7]

    def move(to: str, day: dt.date) -> None:
        lifecycle.transition(session, pid, {"to": to}, SYSTEM, day)

    move("scheduled", today)
    participants = [s for i, s in enumerate(ids) if i != trainer and chance.random() < 0.6]
    for staff_id in participants:
        enrolments.enrol(session, pid, {"staff_id": staff_id}, SYSTEM)
    if back <= 0:
        return
    move("running", today)
    enrolled = [
        e["staff_id"]
        for e in enrolments.list_enrolments(session, pid, SYSTEM)["items"]
        if e["status"] == "enrolled"
    ]
    for number in range(1, count + 1):
        marks = [{"staff_id": s, "present": chance.random() < 0.9} for s in enrolled]
        attendance.record_attendance(session, pid, {"session": number, "marks": marks}, SYSTEM)
    move("completed", _month(today, back) + dt.timedelta(days=count - 1))
