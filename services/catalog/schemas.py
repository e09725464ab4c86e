"""The catalogue's public contract: what its RPC methods take and give, and the data
of the events it publishes. The gateway documents its routes from these."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

MATERIAL_TYPES = ("book", "magazine", "journal", "ebook", "database", "audiovisual")
LIMIT_DEFAULT = 20
LIMIT_MAX = 100


class TitleInput(Schema):
    """A new title, as a branch or cataloguer sends it."""

    class Meta:
        unknown = EXCLUDE

    material_type = fields.String(load_default="book", validate=validate.OneOf(MATERIAL_TYPES))
    title = fields.String(required=True, validate=validate.Length(min=1, max=500))
    subtitle = fields.String(allow_none=True, validate=validate.Length(max=500))
    authors = fields.List(
        fields.String(validate=validate.Length(min=1, max=200)), load_default=list
    )
    subjects = fields.List(
        fields.String(validate=validate.Length(min=1, max=200)), load_default=list
    )
    publisher = fields.String(allow_none=True, validate=validate.Length(max=300))
    year = fields.Integer(allow_none=True, validate=validate.Range(min=1000, max=2100))
    language = fields.String(
        load_default="ind",
        validate=validate.Regexp(r"^[a-z]{3}$", error="Use a three-letter ISO 639-2 code."),
    )
    isbn = fields.String(allow_none=True)
    issn = fields.String(allow_none=True)
    call_number = fields.String(allow_none=True, validate=validate.Length(max=50))
    description = fields.String(allow_none=True, validate=validate.Length(max=10000))
    access_url = fields.Url(allow_none=True, schemes={"http", "https"})

    @validates_schema
    def electronic_needs_url(self, data, **_):
        if data.get("material_type") in ("ebook", "database") and not data.get("access_url"):
            raise ValidationError(
                "An e-book or database needs an access_url.", field_name="access_url"
            )


class TitleOutput(Schema):
    id = fields.String(required=True, metadata={"example": "T000042"})
    material_type = fields.String(required=True)
    title = fields.String(required=True)
    subtitle = fields.String(allow_none=True)
    authors = fields.List(fields.String())
    subjects = fields.List(fields.String())
    publisher = fields.String(allow_none=True)
    year = fields.Integer(allow_none=True)
    language = fields.String()
    isbn = fields.String(allow_none=True)
    issn = fields.String(allow_none=True)
    call_number = fields.String(allow_none=True)
    description = fields.String(allow_none=True)
    access_url = fields.String(allow_none=True)
    created_at = fields.DateTime(format="iso")
    updated_at = fields.DateTime(format="iso")
    version = fields.Integer()


class TitleQuery(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=200))
    limit = fields.Integer(
        load_default=LIMIT_DEFAULT, validate=validate.Range(min=1, max=LIMIT_MAX)
    )
    cursor = fields.String(load_default=None, allow_none=True)


class TitlePage(Schema):
    items = fields.List(fields.Nested(TitleOutput), required=True)
    next_cursor = fields.String(allow_none=True, required=True)
    total = fields.Integer(required=True, metadata={"description": "Exact count of matches."})


# Event data (the envelope's `data`), by event type; version 1 of each.
EVENT_SCHEMAS = {
    "title_created": TitleOutput,
    "title_updated": TitleOutput,
}
