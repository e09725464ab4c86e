"""The figures of results, as the regulation and the methods define them, and the
check of answers against a template's questions."""

import pytest

from chassis.errors import ValidationFailed
from services.feedback import figures
from services.feedback.builtin import BUILT_IN
from services.feedback.templates import check_answers


@pytest.mark.parametrize(
    "index, grade",
    [(100, "A"), (88.31, "A"), (88.30, "B"), (76.61, "B"), (76.60, "C"), (65.0, "C"),
     (64.99, "D"), (25.0, "D")],
)  # fmt: skip
def test_the_satisfaction_grade_follows_permenpan_14_2017s_intervals(index, grade):
    assert figures.skm_grade(index)[0] == grade


def test_the_satisfaction_index_is_the_weighted_mean_times_25():
    means = {f"u{i}": 3.0 for i in range(1, 10)}
    means["u9"] = 3.9  # (8 * 3.0 + 3.9) / 9 = 3.1 -> 77.5
    found = figures.skm_index(means)
    assert (found["index"], found["grade"], found["label"]) == (77.5, "B", "Baik")
    assert figures.skm_index({**means, "u4": None})["index"] is None


def test_nps_is_promoters_minus_detractors():
    assert figures.nps({10: 5, 9: 5, 8: 5, 7: 5}) == 50.0
    assert figures.nps({0: 1, 6: 1, 7: 2}) == -50.0
    assert figures.nps({}) is None


def test_libqual_gaps():
    gaps = figures.libqual_gaps(5.0, 8.0, 6.5)
    assert (gaps["adequacy_gap"], gaps["superiority_gap"]) == (1.5, -1.5)


def test_answers_are_checked_per_question():
    questions = BUILT_IN["layanan_perpustakaan"][2]
    answers = {"as1": {"minimum": 5, "desired": 10, "perceived": 6}, "as2": 7}
    with pytest.raises(ValidationFailed) as err:
        check_answers(questions, answers)
    fields = err.value.details["fields"]
    assert fields["as1"] == ["Must be from 1 to 9."]
    assert fields["as2"] == ["Give minimum, desired and perceived."]
    assert fields["as3"] == ["An answer is required."]
    assert "komentar" not in fields  # optional
    nps = BUILT_IN["nps"][2]
    assert check_answers(nps, {"rekomendasi": "0", "alasan": " Dekat "}) == {
        "rekomendasi": 0, "alasan": "Dekat",
    }  # fmt: skip
    for wrong in (True, 1.5, "١٠", [9]):
        with pytest.raises(ValidationFailed):
            check_answers(nps, {"rekomendasi": wrong})
