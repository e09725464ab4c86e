"""Integers in a JSON body are JSON numbers: "3" is a field error, not 3. A query
string carries only text, so query parameters keep parsing it."""

import pytest
from marshmallow import Schema, fields

from chassis.errors import ValidationFailed
from chassis.schemas import Integer, load
from pustaka import platform


class Body(Schema):
    seats = Integer(required=True)


class Query(Schema):
    limit = fields.Integer()


@pytest.mark.parametrize("given", ["3", 3.0, 3.5, True, "tiga"])
def test_a_body_integer_is_a_json_number_and_a_string_is_named(given):
    with pytest.raises(ValidationFailed) as bad:
        load(Body(), {"seats": given})
    assert bad.value.details["fields"] == {
        "seats": ["Not an integer: give a JSON number, not a string."]
    }
    assert load(Body(), {"seats": 3}) == {"seats": 3}


def test_a_query_parameter_still_arrives_as_text():
    assert load(Query(), {"limit": "20"}) == {"limit": 20}


def integers(schema, path=""):
    """(path, field) for each integer field of a schema, nested ones too."""
    for name, field in schema().fields.items():
        inner = field.inner if isinstance(field, fields.List) else field
        if isinstance(inner, fields.Nested):
            yield from integers(type(inner.schema), f"{path}{name}.")
        elif isinstance(inner, fields.Integer):
            yield f"{path}{name}", inner


def inputs(kind: str, contracts=None):
    """Each method's input schema that arrives as `kind` ("payload": a JSON body,
    "params": a query string), of the contracts named (else every service's)."""
    for part in platform.services():
        if contracts is None or part.name in contracts:
            for method in part.contract_module().CONTRACT.methods:
                if method.input and kind in method.params:
                    yield pytest.param(method.input, id=f"{part.name}.{method.name}")


# The contracts whose bodies take no integer as text (the others still parse "3").
STRICT = ("events", "webhooks")


@pytest.mark.parametrize("schema", list(inputs("payload", STRICT)))
def test_a_body_takes_integers_as_numbers_only(schema):
    assert [path for path, f in integers(schema) if not f.strict] == []


@pytest.mark.parametrize("schema", list(inputs("params")))
def test_query_parameters_take_integers_as_text(schema):
    assert [path for path, f in integers(schema) if f.strict] == []
