"""A month the contract lets in is one the calendar can count. The pattern alone
(four digits) let in 0000-01, whose first day no date can hold: the dashboard
answered 500 to the contract test's first example, `from=0000-01&to=0000-01`."""

import datetime as dt

import pytest

from chassis.errors import ValidationFailed
from chassis.schemas import load
from services.insight.calendar import first_day, last_day, months
from services.insight.contract import FIRST_YEAR, LAST_YEAR, DashboardQuery, MembersInput

EDGES = {
    f"{FIRST_YEAR}-01": (dt.date(FIRST_YEAR, 1, 1), dt.date(FIRST_YEAR, 1, 31)),
    f"{LAST_YEAR}-12": (dt.date(LAST_YEAR, 12, 1), dt.date(LAST_YEAR, 12, 31)),
}


@pytest.mark.parametrize("month", EDGES)
def test_the_first_and_last_months_let_in_have_calendar_days(month):
    query = load(DashboardQuery(), {"from": month, "to": month})
    assert months(query["start"], query["end"]) == [month]
    assert (first_day(month), last_day(month)) == EDGES[month]


@pytest.mark.parametrize(
    "month", ["0000-01", "1000-01", f"{FIRST_YEAR - 1}-12", f"{LAST_YEAR + 1}-01", "9999-12"]
)
def test_a_month_outside_the_years_kept_is_refused_by_name(month):
    for schema, field, body in (
        (DashboardQuery(), "from", {"from": month, "to": f"{LAST_YEAR}-12"}),
        (MembersInput(), "month", {"branch": "SPN", "month": month, "members": 1}),
    ):
        with pytest.raises(ValidationFailed) as refused:
            load(schema, body)
        assert field in refused.value.details["fields"], refused.value.details
