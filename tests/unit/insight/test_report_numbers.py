"""The year's report writes its figures as Indonesian does (12.345,67), never in
scientific notation, and sums the branches' rows into the city's."""

import pytest

from services.insight.report_pdf import _number, _with_total


@pytest.mark.parametrize(
    "value, written",
    [
        (97000, "97.000"),
        (1.24, "1,24"),
        (1247.5, "1.247,50"),
        (0.0006186, "0,000619"),  # an element's ratio: 6.186e-04 elsewhere
        (4.124e-05, "0,0000412"),
        (0.8247, "0,825"),
        (0.0, "0"),
        (None, "-"),
    ],
)
def test_a_figure_is_written_as_indonesian_writes_it(value, written):
    assert _number(value) == written


def test_the_branches_rows_are_summed_into_the_citys():
    rows = [["Kumun Debai", 1200, None, None], ["Pusat", 39553, 23, None]]
    assert _with_total(rows) == [
        ["Kumun Debai", "1.200", "-", "-"],
        ["Pusat", "39.553", "23", "-"],
        ["Jumlah", "40.753", "23", "-"],  # what is known; nothing, where nothing is
    ]
