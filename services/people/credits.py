"""Credit points (angka kredit) of the jabatan fungsional pustakawan, counted as the
current regulation counts them.

Peraturan Menteri PANRB No. 1 Tahun 2023 tentang Jabatan Fungsional makes the
yearly credit of a functional official their performance rating's percentage times
their level's coefficient, and its annex sets the coefficients per year: terampil
5, mahir 12.5, penyelia 25; ahli pertama 12.5, ahli muda 25, ahli madya 37.5, ahli
utama 50. The percentages of the ratings (predikat kinerja): sangat baik 150%, baik
100%, butuh perbaikan 75%, kurang 50%, sangat kurang 25%. Peraturan BKN No. 3 Tahun
2023 (angka kredit, kenaikan pangkat dan jenjang) sets the procedure: a part of a
year counts its months / 12 (its worked example: ahli pertama, sangat baik, a year:
150% x 12.5 = 18.75). Staff off the ladder (non_functional) earn none."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

COEFFICIENTS = {
    "terampil": Decimal("5"),
    "mahir": Decimal("12.5"),
    "penyelia": Decimal("25"),
    "ahli_pertama": Decimal("12.5"),
    "ahli_muda": Decimal("25"),
    "ahli_madya": Decimal("37.5"),
    "ahli_utama": Decimal("50"),
}
PERCENT = {
    "sangat_baik": Decimal("150"),
    "baik": Decimal("100"),
    "butuh_perbaikan": Decimal("75"),
    "kurang": Decimal("50"),
    "sangat_kurang": Decimal("25"),
}


def annual_credit(position: str, rating: str, months: int = 12) -> float | None:
    """The credit a position earns for a rating over `months` of a year, to three
    decimals (BKN's forms show them so); None off the ladder."""
    coefficient = COEFFICIENTS.get(position)
    if coefficient is None:
        return None
    credit = PERCENT[rating] / 100 * coefficient * months / 12
    return float(credit.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))
