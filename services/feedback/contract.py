"""Feedback's public contract, so far: the events it publishes that others read.
Its methods come with the service itself."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.chassis.contract import Contract, Event


class SuggestionApproved(Schema):
    """A reader's suggestion of a title to buy, approved by the library: the
    catalogue puts it on order."""

    suggestion_id = fields.String(required=True, validate=validate.Length(min=1, max=50))
    title = fields.String(required=True, validate=validate.Length(min=1, max=500))
    authors = fields.List(fields.String(), required=True)
    isbn = fields.String(allow_none=True)
    branch = fields.String(allow_none=True, metadata={"description": "where it is wanted"})
    votes = fields.Integer(required=True, metadata={"description": "readers who backed it"})


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
