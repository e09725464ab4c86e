"""The events demo's dates hold on whatever day it is first loaded (`make up` on 29
February stopped at the partners' agreements)."""

import datetime as dt

from services.events.demo import years_before


def test_an_agreement_begins_the_same_day_years_before_or_on_the_28th():
    assert years_before(dt.date(2028, 2, 29), 1) == dt.date(2027, 2, 28)
    assert years_before(dt.date(2028, 2, 29), 4) == dt.date(2024, 2, 29)
    assert years_before(dt.date(2026, 12, 31), 3) == dt.date(2023, 12, 31)
