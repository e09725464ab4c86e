"""The pure parts of community programmes: a series' starts from its RRULE, the same
person however their contact is written, the check-in code's alphabet, and times
shown in the branch's zone."""

import datetime as dt

import pytest
from marshmallow import ValidationError

from chassis.errors import ValidationFailed
from services.events.contract import CHECKIN_CODE, CODE_ALPHABET, RegistrationInput
from services.events.programmes import _starts
from services.events.registrations import person_key
from services.events.times import epoch_of, iso_local, month_of

FIRST = dt.datetime(2026, 3, 7, 9, 0)  # a Saturday


def test_a_series_starts_where_its_rule_says_in_local_time():
    starts = _starts({"starts_at": FIRST, "rrule": "FREQ=WEEKLY;BYDAY=SA;COUNT=4"})
    assert starts == [FIRST + dt.timedelta(weeks=n) for n in range(4)]
    until = _starts({"starts_at": FIRST, "rrule": "FREQ=DAILY;UNTIL=20260309T235959"})
    assert len(until) == 3
    assert _starts({"starts_at": FIRST, "rrule": None}) == [FIRST]


def test_until_bounds_the_series_in_utc_as_rfc_5545_writes_it_or_in_local_time():
    def saturdays(until: str) -> int:
        return len(_starts({"starts_at": FIRST, "rrule": f"FREQ=WEEKLY;UNTIL={until}"}))

    # The third Saturday starts at 09:00 WIB, 02:00 UTC.
    assert saturdays("20260321T020000Z") == 3
    assert saturdays("20260321T015959Z") == 2
    assert _starts({"starts_at": FIRST, "rrule": "RRULE:FREQ=DAILY;UNTIL=20260308T020000Z"}) == [
        FIRST,
        FIRST + dt.timedelta(days=1),
    ]
    assert saturdays("20260321T090000") == 3  # floating: the branch's time
    assert saturdays("20260321T085959") == 2
    assert saturdays("20260321") == 3  # a date: the whole of that day


@pytest.mark.parametrize(
    "rule, says",
    [
        ("FREQ=WEEKLY", "must end"),
        ("FREQ=DAILY;COUNT=400", "at most"),
        ("FREQ=FORTNIGHTLY;COUNT=2", "RRULE"),
        ("BYDAY=XX;COUNT=2", "RRULE"),
        ("FREQ=WEEKLY;UNTIL=20260321T090000+0700", "UNTIL must be a date"),
        ("FREQ=WEEKLY;UNTIL=next week", "UNTIL must be a date"),
        ("FREQ=WEEKLY;COUNT=2;UNTIL=20260321T020000Z", "not both"),
        ("FREQ=WEEKLY;UNTIL=20260301T020000Z", "no occurrence"),
    ],
)
def test_a_rule_that_never_ends_or_is_not_one_is_refused(rule, says):
    with pytest.raises(ValidationFailed) as err:
        _starts({"starts_at": FIRST, "rrule": rule})
    assert says in err.value.details["fields"]["schedule.rrule"][0]


def test_the_same_person_however_the_contact_is_written():
    def key(name, contact):  # as a registration reaches it: the contact loaded
        return person_key(
            name, RegistrationInput().load({"name": name, "contact": contact})["contact"]
        )

    same = key("Siti Aisyah", "0812-7400-1234")
    assert key("  siti  AISYAH ", "+62 812 7400 1234") == same
    assert key("Siti Aisyah", "6281274001234") == same
    assert person_key("Siti Aisyah", "6281274001234") == same  # as older rows were keyed
    assert key("Ahmad Rizki", "0812-7400-1234") != same  # a family shares a phone
    assert key("A", "Siti@Example.org") == key("a", "siti@example.org")


@pytest.mark.parametrize("contact", ["hello", "0748-21234", "12345", "siti@", "  "])
def test_a_contact_nobody_could_be_reached_at_is_refused(contact):
    with pytest.raises(ValidationError) as err:
        RegistrationInput().load({"name": "Siti Aisyah", "contact": contact})
    assert "contact" in err.value.messages


def test_check_in_codes_have_no_look_alikes():
    assert not set("01ILO") & set(CODE_ALPHABET)
    assert CHECKIN_CODE.match("A7K2MQ9X") and not CHECKIN_CODE.match("A7K2MQ9O")


def test_times_are_shown_in_jakarta_and_counted_in_its_months():
    late = epoch_of(dt.datetime(2026, 3, 31, 23, 30))  # WIB: still March
    assert iso_local(late) == "2026-03-31T23:30:00+07:00"
    assert month_of(late) == "2026-03"
    assert dt.datetime.fromtimestamp(late, dt.UTC).hour == 16
