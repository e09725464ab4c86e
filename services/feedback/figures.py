"""The figures of survey results, from counts of answers by value: means and
distributions, Net Promoter Score, LibQUAL+ gaps, and the public-service
satisfaction index. Plain values in and out, no database.

The satisfaction index (Indeks Kepuasan Masyarakat, IKM) is computed as Peraturan
Menteri PANRB No. 14 Tahun 2017 (Pedoman Penyusunan Survei Kepuasan Masyarakat
Unit Penyelenggara Pelayanan Publik), Lampiran, bab V prescribes:
- each element's (unsur's) mean perceived value (nilai rata-rata, NRR) over the
  responses, on its 1-4 scale;
- each weighted by 1/9 (bobot nilai rata-rata tertimbang: 1 / the number of
  elements), summed into the index on 1-4 (nilai indeks);
- converted to 25-100 by multiplying by 25 (nilai konversi);
- graded by the interval table of the same chapter:
    1.00-2.5996 / 25.00-64.99  D  Tidak Baik
    2.60-3.064  / 65.00-76.60  C  Kurang Baik
    3.0644-3.532 / 76.61-88.30 B  Baik
    3.5324-4.00 / 88.31-100.00 A  Sangat Baik
"""

from __future__ import annotations

SKM_WEIGHT_ELEMENTS = 9  # the regulation's nine elements: weight 1/9 each
SKM_CONVERSION = 25
# (lowest converted value of the grade, grade, label) from the highest down.
SKM_GRADES = (
    (88.31, "A", "Sangat Baik"),
    (76.61, "B", "Baik"),
    (65.00, "C", "Kurang Baik"),
    (25.00, "D", "Tidak Baik"),
)


def mean(counts: dict[int, int]) -> float | None:
    """The mean of values counted {value: how many}; None when there are none."""
    n = sum(counts.values())
    if not n:
        return None
    return sum(v * c for v, c in counts.items()) / n


def nps(counts: dict[int, int]) -> float | None:
    """% promoters (9-10) minus % detractors (0-6) of 0-10 answers."""
    n = sum(counts.values())
    if not n:
        return None
    promoters = sum(c for v, c in counts.items() if v >= 9)
    detractors = sum(c for v, c in counts.items() if v <= 6)
    return round(100 * (promoters - detractors) / n, 1)


def skm_grade(index: float) -> tuple[str, str]:
    """The grade (mutu pelayanan) and its label of a converted index (25-100)."""
    rounded = round(index, 2)
    for low, grade, label in SKM_GRADES:
        if rounded >= low:
            return grade, label
    return SKM_GRADES[-1][1:]


def skm_index(element_means: dict[str, float | None]) -> dict:
    """The index of the elements' means (NRR): each weighted 1/9 and summed, times
    25. An element no one answered leaves the index undefined (the regulation's
    index is over all nine)."""
    elements = {k: None if v is None else round(v, 3) for k, v in element_means.items()}
    values = [v for v in element_means.values() if v is not None]
    if not values or len(values) != len(element_means):
        return {"index": None, "grade": None, "label": None, "elements": elements}
    weight = 1 / SKM_WEIGHT_ELEMENTS
    weighted = sum(v * weight for v in values) * (SKM_WEIGHT_ELEMENTS / len(values))
    index = round(weighted * SKM_CONVERSION, 2)
    grade, label = skm_grade(index)
    return {"index": index, "grade": grade, "label": label, "elements": elements}


def libqual_gaps(minimum: float | None, desired: float | None, perceived: float | None) -> dict:
    """Adequacy (perceived - minimum) and superiority (perceived - desired) gaps."""
    known = None not in (minimum, desired, perceived)
    return {
        "minimum": _r(minimum),
        "desired": _r(desired),
        "perceived": _r(perceived),
        "adequacy_gap": _r(perceived - minimum) if known else None,
        "superiority_gap": _r(perceived - desired) if known else None,
    }


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
