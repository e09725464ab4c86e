"""A contact in its one spelling, however it was typed: a mobile number as E.164, an
e-mail address with its domain in lower case; anything else refused with the reason."""

import re

import pytest
from marshmallow import Schema, ValidationError

from chassis.contacts import PHONE_ERROR, Contact, channel, normalise_contact


@pytest.mark.parametrize(
    "typed",
    ["0812-7400-1234", "0812 7400 1234", "+62 812-7400-1234", "6281274001234",
     "(0812) 7400.1234", " 081274001234 "],
)  # fmt: skip
def test_a_mobile_number_is_written_one_way(typed):
    assert normalise_contact(typed) == "+6281274001234"
    assert channel(normalise_contact(typed)) == "phone"


def test_an_email_keeps_its_local_part_and_lowers_its_domain():
    assert normalise_contact(" Dewi.Anggraini@Example.COM ") == "Dewi.Anggraini@example.com"
    assert channel("dewi@example.com") == "email"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [("0748 21234", PHONE_ERROR), ("812 7400 1234", PHONE_ERROR), ("+44 20 7946 0958", PHONE_ERROR),
     ("dewi@", "Not an e-mail address."), ("x" * 250 + "@example.com", "at most 254")],
)  # fmt: skip
def test_anything_else_is_refused_with_the_reason(typed, reason):
    with pytest.raises(ValidationError, match=re.escape(reason)):
        normalise_contact(typed)


class Form(Schema):
    contact = Contact(allow_none=True)


def test_a_contact_field_loads_its_spelling_and_takes_blank_as_absent():
    assert Form().load({"contact": "0812-7400-1234"}) == {"contact": "+6281274001234"}
    assert Form().load({"contact": "  "}) == {"contact": None}
    assert Form().load({"contact": None}) == {"contact": None}
    with pytest.raises(ValidationError) as bad:
        Form().load({"contact": "0748 21234"})
    assert bad.value.messages == {"contact": [PHONE_ERROR]}
