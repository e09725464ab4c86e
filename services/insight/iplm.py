"""The city's literacy figures: the Indeks Pembangunan Literasi Masyarakat (IPLM) as
Perpustakaan Nasional's published method defines it, from the platform's data and
the settings in config/pustaka.yaml (`insight: IPLM:`), and the year's KTAK data
(Koleksi, Tenaga, Anggota, Kunjungan) the national census asks of a library.

The method followed, "pedoman_2021" (every answer names it and its sources):
- Perpustakaan Nasional RI, *Pedoman Pengukuran Indeks Pembangunan Literasi
  Masyarakat* (Perpusnas Press, Desember 2021): seven elements (unsur pembangun
  literasi masyarakat, UPLM1-7), each a count over its population base (aspek
  masyarakat, AM);
- Perpusnas, *Mekanisme Perhitungan IPLM & TGM Tahun 2025* (Pusat Analisis
  Perpustakaan dan Pengembangan Budaya Baca): IPLM = (sum over i of UPLM_i / AM /
  K_i) / 7 x 100, K_i each element's standard value; its categories sangat rendah
  (0-29.9), rendah (30-49.9), sedang (50-79.9), tinggi (80-89.9), sangat tinggi
  (90-100).
What could not be read from a source is a setting, and says so: the standard values
K_i (STANDARDS), whether a score is capped (SCORE_CAP), the population and its age
groups, the libraries the city counts and those accredited (SNP). On the cap: a
score capped at 1 is read nowhere in those sources, and the one published regional
result found with its element values, Kabupaten Sukoharjo 2022
(tests/unit/insight/test_iplm.py), has two above 1 that enter its index whole; so no
cap unless set.
Every answer shows the raw counts beside the ratios and scores.

Not computed: Peraturan Perpustakaan Nasional Nomor 7 Tahun 2025 tentang Pedoman
Indeks Pembangunan Literasi Masyarakat, which replaces the seven elements by two
dimensions (Pasal 13 ayat 2; its dimensi kinerja, Pasal 15, has the variables
pelayanan and penyelenggaraan/pengelolaan, each of indicators counted over the last
year). The other dimension's indicators, their weights and the scoring were not
read from the regulation's text, so no figure here follows it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chassis.context import Caller
from chassis.errors import field_error
from chassis.schemas import load

from .calendar import first_day, last_day
from .contract import YearQuery
from .models import Branch, Holding, MemberCount, Occurrence, Staff, Title
from .visits import visit_days

METHOD = "pedoman_2021"
REFERENCE = (
    "Perpustakaan Nasional RI, Pedoman Pengukuran Indeks Pembangunan Literasi Masyarakat "
    "(2021), and Mekanisme Perhitungan IPLM & TGM Tahun 2025: seven elements (UPLM1-7), "
    "ratio = count / population base, score = ratio / K_i, IPLM = mean of the seven "
    "scores x 100 (not Peraturan Perpustakaan Nasional Nomor 7 Tahun 2025)"
)
# The lower bound of each category, highest first.
CATEGORIES = (
    (90.0, "sangat tinggi"),
    (80.0, "tinggi"),
    (50.0, "sedang"),
    (30.0, "rendah"),
    (0.0, "sangat rendah"),
)
# What the platform does not know and a librarian, not an engineer, is trusted with.
LIBRARIANS = (
    "terampil",
    "mahir",
    "penyelia",
    "ahli_pertama",
    "ahli_muda",
    "ahli_madya",
    "ahli_utama",
)
year_query = YearQuery()


@dataclass(frozen=True)
class Counts:
    """The year's raw counts the elements are ratios of."""

    libraries: float
    copies: float
    staff: float
    visits_per_day: float
    snp_libraries: float
    participants: float
    members: float


ELEMENTS = (  # code, name, the count it takes, where the count comes from
    ("UPLM1", "Pemerataan layanan perpustakaan", "libraries", "setting LIBRARIES"),
    ("UPLM2", "Ketercukupan koleksi perpustakaan", "copies", "platform: copies held"),
    ("UPLM3", "Ketercukupan tenaga perpustakaan", "staff", "platform: active staff"),
    (
        "UPLM4",
        "Tingkat kunjungan masyarakat per hari",
        "visits_per_day",
        "platform: the year's visits / days with visits",
    ),
    ("UPLM5", "Perpustakaan ber-SNP", "snp_libraries", "setting SNP_LIBRARIES"),
    (
        "UPLM6",
        "Keterlibatan masyarakat dalam kegiatan sosialisasi",
        "participants",
        "platform: attendance at community programmes held in the year",
    ),
    ("UPLM7", "Anggota perpustakaan", "members", "platform: members at the year's last count"),
)


def category(index: float | None) -> str | None:
    if index is None:
        return None
    return next(name for low, name in CATEGORIES if index >= low)


def score(ratio: float | None, standard: float | None, cap: float | None) -> float | None:
    """An element's score: its ratio over its standard value K_i, capped if SCORE_CAP is set."""
    if ratio is None or not standard:
        return None
    return min(ratio / standard, cap) if cap is not None else ratio / standard


def index_of(scores: list[float | None]) -> tuple[float | None, str | None]:
    """The index from the seven elements' scores (their mean x 100), and its category.
    It needs every element: one missing is said, not averaged over."""
    if len(scores) != len(ELEMENTS) or any(s is None for s in scores):
        return None, None
    index = round(sum(scores) / len(scores) * 100, 2)
    return index, category(index)


def compute(counts: Counts, settings: dict) -> dict:
    """The elements and the index from the counts and the settings: the arithmetic
    alone, free of any database."""
    population = int(settings["POPULATION"])
    by_age = settings.get("POPULATION_BY_AGE") or {}
    bases, standards = settings.get("BASES") or {}, settings["STANDARDS"]
    cap = settings.get("SCORE_CAP")
    elements, scores = [], []
    for code, name, field, source in ELEMENTS:
        value = float(getattr(counts, field))
        base_name = bases.get(code, "population")
        base = population if base_name == "population" else by_age.get(base_name)
        standard = standards.get(code)
        ratio = value / base if base else None
        scored = score(ratio, standard, cap)
        scores.append(scored)
        elements.append(
            {
                "code": code,
                "name": name,
                "value": value,
                "base": base,
                "ratio": ratio,
                "standard": standard,
                "score": round(scored, 6) if scored is not None else None,
                "source": source,
            }
        )
    index, named = index_of(scores)
    return {"population": population, "elements": elements, "index": index, "category": named}


def year_counts(session: Session, year: int, settings: dict) -> Counts:
    first, last = f"{year}-01", f"{year}-12"
    days = visit_days(session, None, first_day(first), last_day(last))
    visits = sum(d["visits"] for d in days)
    open_days = len({d["day"] for d in days})
    return Counts(
        libraries=float(settings["LIBRARIES"]),
        copies=_copies(session),
        staff=session.scalar(select(func.count()).where(Staff.active.is_(True))) or 0,
        visits_per_day=visits / open_days if open_days else 0.0,
        snp_libraries=float(settings["SNP_LIBRARIES"]),
        participants=session.scalar(
            select(func.coalesce(func.sum(Occurrence.attended), 0)).where(
                Occurrence.month >= first, Occurrence.month <= last
            )
        ),
        members=sum(_last_members(session, year).values()),
    )


def _copies(session: Session) -> int:
    return session.scalar(
        select(func.coalesce(func.sum(Holding.copies), 0))
        .join(Title, Title.id == Holding.title_id)
        .where(Holding.copies > 0)
    )


def _last_members(session: Session, year: int) -> dict[str, int]:
    """Each branch's members at its latest count of the year."""
    latest: dict[str, MemberCount] = {}
    rows = session.scalars(
        select(MemberCount).where(MemberCount.month.like(f"{year}-%")).order_by(MemberCount.month)
    )
    for row in rows:
        latest[row.branch] = row
    return {b: r.members for b, r in latest.items()}


def iplm(session: Session, params: dict, caller: Caller, settings: dict) -> dict:
    caller.require_role()
    year = load(year_query, params)["year"]
    if settings.get("METHOD", METHOD) != METHOD:
        raise field_error("year", f"Only the {METHOD} method is computed here.")
    result = compute(year_counts(session, year, settings), settings)
    notes = [
        "Standard values (K_i), whether a score is capped (SCORE_CAP), population, "
        "libraries counted and SNP libraries are settings (insight: IPLM: in "
        "config/pustaka.yaml), not read from the guide.",
        "Peraturan Perpustakaan Nasional Nomor 7 Tahun 2025 (two dimensions) is not "
        "computed: its indicators and scoring were not read from its text.",
    ]
    if result["index"] is None:
        notes.append("The index needs every element's score: a base or standard is missing.")
    return {"year": year, "method": METHOD, "reference": REFERENCE, **result, "notes": notes}


# -- KTAK ----------------------------------------------------------------------------------
def ktak(session: Session, params: dict, caller: Caller) -> dict:
    caller.require_role()
    year = load(year_query, params)["year"]
    first, last = f"{year}-01", f"{year}-12"
    names = dict(session.execute(select(Branch.code, Branch.name).order_by(Branch.code)).all())
    held = (
        select(Holding.branch, func.count(), func.sum(Holding.copies))
        .join(Title, Title.id == Holding.title_id)
        .where(Holding.copies > 0)
        .group_by(Holding.branch)
    )
    collection = {b: (t, c) for b, t, c in session.execute(held)}
    staff = {
        (b, p in LIBRARIANS): n
        for b, p, n in session.execute(
            select(Staff.branch, Staff.position, func.count())
            .where(Staff.active.is_(True))
            .group_by(Staff.branch, Staff.position)
        )
    }
    librarians, others = {}, {}
    for (branch, librarian), n in staff.items():
        target = librarians if librarian else others
        target[branch] = target.get(branch, 0) + n
    members = _last_members(session, year)
    visits: dict[str, int] = {}
    for day in visit_days(session, None, first_day(first), last_day(last)):
        visits[day["branch"]] = visits.get(day["branch"], 0) + day["visits"]
    rows = [
        {
            "branch": b,
            "branch_name": name,
            "titles": collection.get(b, (0, 0))[0],
            "copies": int(collection.get(b, (0, 0))[1] or 0),
            "staff_librarians": librarians.get(b, 0),
            "staff_other": others.get(b, 0),
            "members": members.get(b, 0),
            "visits": visits.get(b, 0),
        }
        for b, name in names.items()
    ]
    return {"year": year, "items": rows}
