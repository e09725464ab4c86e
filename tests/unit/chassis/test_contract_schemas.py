"""The pieces contracts build their schemas from: an input leaves out what it does
not know, a list's query pages with a bounded limit and a cursor after its own
fields, and a page schema is named as the OpenAPI document names it."""

import pytest
from marshmallow import ValidationError, fields

from chassis.schemas import Input, page_of, paged_query


class Note(Input):
    text = fields.String(required=True)


class NoteOutput(Input):
    text = fields.String()


class NoteQuery(paged_query(default=20, ceiling=100)):
    author = fields.String()


def test_an_input_leaves_out_fields_it_does_not_know():
    assert Note().load({"text": "hai", "colour": "red"}) == {"text": "hai"}


def test_a_paged_query_bounds_its_limit_and_defaults_it():
    assert NoteQuery().load({}) == {"limit": 20, "cursor": None}
    assert NoteQuery().load({"limit": "100", "cursor": "abc"})["limit"] == 100
    with pytest.raises(ValidationError) as bad:
        NoteQuery().load({"limit": "101", "extra": "left out"})
    assert bad.value.messages == {
        "limit": ["Must be greater than or equal to 1 and less than or equal to 100."]
    }


def test_the_paging_fields_come_after_the_query_own():
    # The OpenAPI document lists a query's parameters in this order.
    assert list(NoteQuery().fields) == ["author", "limit", "cursor"]


def test_each_paging_is_made_once():
    assert paged_query(default=20, ceiling=100) is NoteQuery.__mro__[1]
    assert paged_query(default=50, ceiling=200) is not paged_query(default=20, ceiling=100)


def test_a_page_is_named_after_its_item_and_holds_more_fields_beside():
    page = page_of(NoteOutput, total=fields.Integer(required=True))
    assert page.__name__ == "NotePage"
    assert page.__module__ == __name__
    assert list(page().fields) == ["items", "next_cursor", "total"]
    assert page().dump({"items": [{"text": "a"}], "next_cursor": None, "total": 1}) == {
        "items": [{"text": "a"}],
        "next_cursor": None,
        "total": 1,
    }
    assert page_of(Note, name="Notebook").__name__ == "Notebook"
