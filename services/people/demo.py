"""Demo data for staff development, loaded by `make up` on first run (when people has
no branch yet): the branches of the catalogue's demo, as its branch_updated events
will tell them (the demo is loaded before any service runs)."""

from __future__ import annotations

from sqlalchemy import select

from services.chassis.db import DatabaseSession

from . import branches
from .models import Branch

BRANCHES = [
    ("SPN", "Perpustakaan Kota Sungai Penuh (Pusat)"),
    ("PDT", "Perpustakaan Cabang Pondok Tinggi"),
    ("KMN", "Perpustakaan Cabang Kumun Debai"),
    ("HRW", "Perpustakaan Cabang Hamparan Rawang"),
    ("PSB", "Perpustakaan Cabang Pesisir Bukit"),
]


def load_demo(db: DatabaseSession) -> int:
    with db.transaction() as session:
        if session.scalar(select(Branch.code).limit(1)) is not None:
            return 0
        for code, name in BRANCHES:
            branches.branch_seen(session, {"code": code, "name": name})
    return len(BRANCHES)
