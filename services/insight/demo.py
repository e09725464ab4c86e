"""Demo data, loaded on first run: three years of the visitors' book and the monthly
member counts at the five branches (the other parts' demos, through their events,
give the collection, staff, programmes and feedback). Days are relative to today, so
the history always ends yesterday. Written in bulk: a few thousand rows a branch."""

from __future__ import annotations

import datetime as dt
import random
import time

from sqlalchemy import func, select

from chassis.bulk import insert_rows
from chassis.db import DatabaseSession

from .calendar import today as wib_today
from .models import MemberCount, VisitTally, branches

BRANCHES = [  # code, name, visitors on an ordinary day, members three years ago
    ("SPN", "Perpustakaan Kota Sungai Penuh (Pusat)", 120, 5200),
    ("PDT", "Perpustakaan Cabang Pondok Tinggi", 45, 1400),
    ("KMN", "Perpustakaan Cabang Kumun Debai", 30, 900),
    ("HRW", "Perpustakaan Cabang Hamparan Rawang", 25, 750),
    ("PSB", "Perpustakaan Cabang Pesisir Bukit", 20, 600),
]
# How visitors divide, by purpose and by age group (a day's share of each).
PURPOSES = {
    "reading": 0.34,
    "borrowing": 0.24,
    "studying": 0.18,
    "internet": 0.12,
    "programme": 0.07,
    "other": 0.05,
}
AGES = {"child": 0.22, "teen": 0.3, "adult": 0.38, "senior": 0.1}
YEARS = 3


def load_demo(db: DatabaseSession, today: dt.date | None = None) -> int:
    with db.reading() as session:
        if session.scalar(select(func.count()).select_from(VisitTally)):
            return 0
    today = today or wib_today()
    rng = random.Random(2026)
    start = today.replace(year=today.year - YEARS)
    tallies, counts = [], []
    for code, _, daily, members in BRANCHES:
        day = start
        while day < today:
            if day.weekday() != 6:  # closed on Sundays
                tallies += _day(rng, code, day, daily)
            day += dt.timedelta(days=1)
        counts += _members(rng, code, start, today, members)
    with db.transaction() as session:
        for code, name, _, _ in BRANCHES:
            branches.seen(session, {"code": code, "name": name})
        insert_rows(session, VisitTally.__table__, tallies)
        insert_rows(session, MemberCount.__table__, counts)
    return len(tallies) + len(counts)


def _day(rng: random.Random, branch: str, day: dt.date, daily: int) -> list[dict]:
    """One day's entries: busier on Saturdays and in the school holidays' months."""
    busy = 1.4 if day.weekday() == 5 else 1.0
    busy *= 1.25 if day.month in (6, 7, 12) else 1.0
    visitors = max(0.0, rng.gauss(daily * busy, daily * 0.2))
    rows = []
    for purpose, of_purpose in PURPOSES.items():
        for age, of_age in AGES.items():
            count = round(visitors * of_purpose * of_age * rng.uniform(0.7, 1.3))
            if count:
                rows.append(
                    {
                        "branch": branch,
                        "day": day,
                        "headcount": False,
                        "purpose": purpose,
                        "age_group": age,
                        "count": count,
                    }
                )
    return rows


def _members(rng, branch: str, start: dt.date, today: dt.date, members: int) -> list[dict]:
    """Each month's end count, growing by the new members less those who lapsed."""
    rows, month = [], start.replace(day=1)
    now = time.time()
    while month < today.replace(day=1):
        new = rng.randint(members // 80, members // 40)
        members += new - rng.randint(0, members // 120)
        rows.append(
            {
                "branch": branch,
                "month": month.strftime("%Y-%m"),
                "members": members,
                "new_members": new,
                "updated_at": now,
            }
        )
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return rows
