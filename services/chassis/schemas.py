"""Loading RPC arguments through marshmallow, with our typed error on failure."""

from __future__ import annotations

from marshmallow import Schema, ValidationError

from .errors import ValidationFailed


def load(schema: Schema, data) -> dict:
    if not isinstance(data, dict):
        raise ValidationFailed(
            "Expected a JSON object.", {"fields": {"_schema": ["Not an object."]}}
        )
    try:
        return schema.load(data)
    except ValidationError as err:
        raise ValidationFailed("The request has invalid fields.", {"fields": err.messages}) from err
