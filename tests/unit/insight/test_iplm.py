"""The IPLM's arithmetic (services/insight/iplm.py): a published regional result (its
seven element scores give its published index), and a case computed by hand (each
element's ratio to its base, scored against its standard, capped where SCORE_CAP is
set, the index the mean of the seven scores times 100, and its category)."""

import pytest

from services.insight.iplm import Counts, category, compute, index_of

# Tunardi, "Kajian Pengukuran Indeks Pembangunan Literasi Masyarakat (IPLM) Kabupaten
# Sukoharjo Tahun 2022", Dinas Kearsipan dan Perpustakaan Kabupaten Sukoharjo (its
# abstract; https://pdfcoffee.com/download/kajian-pengukuran-iplm-2022-pdf-free.html):
# UPLM1-7 and "skor IPLM sebesar 71,85 (Sedang)". (The abstract names the seventh
# "UPLM6" again, a slip: it lists seven values.) Two are above 1 and count whole:
# capped at 1, the index would be 38.90, not the 71.85 published.
SUKOHARJO_2022 = [0.002825, 2.269653, 0.003088, 0.015690, 2.036810, 0.027581, 0.673794]

SETTINGS = {
    "POPULATION": 100_000,
    "POPULATION_BY_AGE": {"adult": 40_000},
    "BASES": {"UPLM7": "population"},
    "SCORE_CAP": 1,
    "STANDARDS": {
        "UPLM1": 0.001,
        "UPLM2": 1.0,
        "UPLM3": 0.0002,
        "UPLM4": 0.002,
        "UPLM5": 0.00005,
        "UPLM6": 0.05,
        "UPLM7": 0.1,
    },
}
COUNTS = Counts(
    libraries=50,
    copies=60_000,
    staff=10,
    visits_per_day=250,
    snp_libraries=2,
    participants=2_500,
    members=20_000,
)


def test_a_published_regions_element_scores_give_its_published_index():
    assert index_of(SUKOHARJO_2022) == (71.85, "sedang")


def test_the_index_of_a_hand_computed_case():
    result = compute(COUNTS, SETTINGS)
    scores = {e["code"]: e["score"] for e in result["elements"]}
    # By hand: 50/100000 = 0.0005 of 0.001 is 0.5; 60000/100000 = 0.6 of 1.0 is 0.6;
    # 10/100000 of 0.0002 is 0.5; 250/100000 = 0.0025 of 0.002 is 1.25, capped at 1;
    # 2/100000 of 0.00005 is 0.4; 2500/100000 of 0.05 is 0.5; 20000/100000 of 0.1 is 2,
    # capped at 1. (0.5 + 0.6 + 0.5 + 1 + 0.4 + 0.5 + 1) / 7 * 100 = 64.2857...
    assert scores == {
        "UPLM1": 0.5,
        "UPLM2": 0.6,
        "UPLM3": 0.5,
        "UPLM4": 1.0,
        "UPLM5": 0.4,
        "UPLM6": 0.5,
        "UPLM7": 1.0,
    }
    assert result["index"] == 64.29 and result["category"] == "sedang"
    uplm4 = next(e for e in result["elements"] if e["code"] == "UPLM4")
    assert (uplm4["value"], uplm4["base"], uplm4["ratio"]) == (250, 100_000, 0.0025)
    # Uncapped (SCORE_CAP null), UPLM4 and UPLM7 count whole: 1.25 and 2.
    uncapped = compute(COUNTS, {**SETTINGS, "SCORE_CAP": None})
    assert uncapped["index"] == round((0.5 + 0.6 + 0.5 + 1.25 + 0.4 + 0.5 + 2) / 7 * 100, 2)


def test_an_element_on_an_age_groups_base_and_one_without_a_standard():
    on_adults = {**SETTINGS, "BASES": {"UPLM6": "adult"}}
    uplm6 = next(e for e in compute(COUNTS, on_adults)["elements"] if e["code"] == "UPLM6")
    assert (uplm6["base"], uplm6["ratio"], uplm6["score"]) == (40_000, 0.0625, 1.0)
    unset = {**SETTINGS, "STANDARDS": {**SETTINGS["STANDARDS"], "UPLM5": None}}
    result = compute(COUNTS, unset)
    assert result["index"] is None and result["category"] is None  # never averaged over six


@pytest.mark.parametrize(
    ("index", "name"),
    [
        (0.0, "sangat rendah"),
        (29.99, "sangat rendah"),
        (30.0, "rendah"),
        (49.99, "rendah"),
        (50.0, "sedang"),
        (79.99, "sedang"),
        (80.0, "tinggi"),
        (89.99, "tinggi"),
        (90.0, "sangat tinggi"),
        (100.0, "sangat tinggi"),
    ],
)
def test_the_categories_bounds(index, name):
    assert category(index) == name
