"""The dashboard page's views of the service's answer: a period's months added up
per branch (an index weighted by its responses, a share of the period's sittings),
branches by name in every table, and the period the page shows unless one is
chosen: the last 12 months, this one included, across a year's turn too."""

import datetime as dt

from gateway.web.insight.dashboard import default_period, per_branch, tables


def month(branch, when, *, jp=0, skm=None, responses=0, held=0, partnered=None, new=0, sug=0):
    return {
        "branch": branch,
        "month": when,
        "staff": {"training_hours_jp": jp, "completions": 1 if jp else 0},
        "quality": {"skm_index": skm, "responses": responses},
        "programmes": {"occurrences": held, "attendance": 10 * held, "partners_share": partnered},
        "collection": {"new_titles": new, "new_titles_from_suggestions": sug},
        "visits": {"visits": 100},
    }


ANSWER = {
    "items": [
        month("KMN", "2026-10", jp=8, skm=80.0, responses=30, held=2, partnered=0.5, new=3, sug=1),
        month("SPN", "2026-10", jp=0, skm=None, responses=0, held=0, new=0),
        month("KMN", "2026-11", jp=4, skm=90.0, responses=10, held=2, partnered=1.0, new=1, sug=1),
        month("SPN", "2026-11", jp=16, skm=70.0, responses=5, held=1, partnered=0.0, new=2),
    ]
}
NAMES = {"KMN": "Perpustakaan Cabang Kumun Debai", "SPN": "Perpustakaan Kota Sungai Penuh"}


def test_a_periods_months_are_added_up_per_branch():
    kmn, spn = per_branch(ANSWER, NAMES)
    assert kmn["name"] == NAMES["KMN"] and kmn["jp"] == 12
    assert kmn["skm"] == 82.5  # (80 x 30 + 90 x 10) / 40
    assert kmn["partners_share"] == 75.0  # 3 of 4 sittings
    assert kmn["suggestions_share"] == 50.0  # 2 of 4 new titles
    assert spn["skm"] == 70.0 and spn["suggestions_share"] == 0.0


def test_every_table_names_branches_and_visits_go_by_month():
    found = tables(ANSWER, NAMES, lambda text: text)
    for view in ("training", "programmes", "collection"):
        assert [row[0] for row in found[view][1:]] == [NAMES["KMN"], NAMES["SPN"]]
    assert found["visits"][1:] == [["2026-10", 200], ["2026-11", 200]]


def test_the_period_shown_is_the_last_12_months():
    assert default_period(dt.date(2026, 11, 20)) == ("2025-12", "2026-11")
    assert default_period(dt.date(2026, 12, 1)) == ("2026-01", "2026-12")
    assert default_period(dt.date(2027, 1, 31)) == ("2026-02", "2027-01")
