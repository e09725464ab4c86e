"""Credit points as Peraturan Menteri PANRB No. 1/2023 and Peraturan BKN No. 3/2023
count them, with BKN's own worked examples."""

import pytest

from services.people.credits import annual_credit


@pytest.mark.parametrize(
    "position,rating,months,credit",
    [
        ("ahli_pertama", "sangat_baik", 12, 18.75),  # BKN's example: 150% x 12.5
        ("ahli_pertama", "baik", 2, 2.083),  # BKN's example: 2/12 x 100% x 12.5
        ("terampil", "baik", 12, 5.0),
        ("mahir", "butuh_perbaikan", 12, 9.375),
        ("penyelia", "kurang", 12, 12.5),
        ("ahli_muda", "sangat_kurang", 12, 6.25),
        ("ahli_madya", "baik", 6, 18.75),
        ("ahli_utama", "sangat_baik", 12, 75.0),
    ],
)
def test_a_years_credit_is_the_ratings_share_of_the_levels_coefficient(
    position, rating, months, credit
):
    assert annual_credit(position, rating, months) == credit


def test_staff_off_the_ladder_earn_no_credit():
    assert annual_credit("non_functional", "sangat_baik") is None
