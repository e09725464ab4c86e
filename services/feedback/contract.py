"""Feedback's public contract, so far: the events it publishes that others read.
Its methods come with the service itself."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.chassis.contract import Contract, Event

SUGGESTION_KINDS = ("collection", "programme")


class SuggestionApproved(Schema):
    """A community suggestion the library approved. Of kind `collection`, a title to
    buy: the catalogue puts it on order. Of kind `programme`, an idea for a community
    programme: the events service drafts it at its branch (`title` is its topic)."""

    suggestion_id = fields.String(required=True, validate=validate.Length(min=1, max=50))
    kind = fields.String(
        load_default="collection",
        validate=validate.OneOf(SUGGESTION_KINDS),
        metadata={"description": "collection or programme; absent means collection"},
    )
    title = fields.String(required=True, validate=validate.Length(min=1, max=500))
    authors = fields.List(fields.String(), required=True)
    isbn = fields.String(allow_none=True)
    branch = fields.String(allow_none=True, metadata={"description": "where it is wanted"})
    votes = fields.Integer(required=True, metadata={"description": "readers who backed it"})
    programme_type = fields.String(
        allow_none=True, metadata={"description": "of a programme idea: book_discussion, ..."}
    )
    audience = fields.String(
        allow_none=True, metadata={"description": "of a programme idea: children, ..."}
    )


class EvaluationSummarized(Schema):
    """The result of an evaluation campaign about one subject (a staff-development
    programme, a community event, a branch): people records a programme's beside it."""

    campaign_id = fields.String(required=True, validate=validate.Length(min=1, max=50))
    subject_type = fields.String(
        required=True, metadata={"description": "programme, event or branch"}
    )
    subject_id = fields.String(required=True, metadata={"example": "PRG000001"})
    responses = fields.Integer(required=True)
    average = fields.Float(allow_none=True, metadata={"description": "mean rating, 1-5"})
    summary = fields.String(allow_none=True)


CONTRACT = Contract(
    service="feedback",
    events=(
        Event("suggestion_approved", SuggestionApproved),
        Event("evaluation_summarized", EvaluationSummarized),
    ),
)
