"""Community programmes' public contract, so far: the events others already read
(feedback opens a post-event survey on event_completed and marks a community idea
fulfilled on programme_published). Its methods come with the service itself.

No event carries a participant's name or contact: events go to every subscriber."""

from __future__ import annotations

from marshmallow import Schema, fields

from services.chassis.contract import Contract, Event


class ProgrammePublished(Schema):
    """A programme opened to the public (its calendar entries and registration)."""

    programme_id = fields.String(required=True, metadata={"example": "EVT000001"})
    title = fields.String(required=True)
    programme_type = fields.String(
        required=True, metadata={"description": "book_discussion, creative_class, ..."}
    )
    audience = fields.String(required=True, metadata={"description": "children, teens, ..."})
    branch = fields.String(required=True)
    starts_at = fields.DateTime(allow_none=True, format="iso", metadata={"description": "first"})
    suggestion_id = fields.String(
        allow_none=True, metadata={"description": "the community suggestion it came from"}
    )


class EventCompleted(Schema):
    """One occurrence of a programme held and closed, with its attendance."""

    occurrence_id = fields.String(required=True)
    programme_id = fields.String(required=True)
    title = fields.String(required=True)
    programme_type = fields.String(required=True)
    audience = fields.String(required=True)
    branch = fields.String(required=True)
    starts_at = fields.DateTime(required=True, format="iso")
    ends_at = fields.DateTime(required=True, format="iso")
    partners = fields.List(fields.String(), required=True, metadata={"description": "co-hosts"})
    registered = fields.Integer(required=True)
    attended = fields.Integer(required=True, metadata={"description": "walk-ins included"})
    walk_ins = fields.Integer(required=True)
    no_shows = fields.Integer(required=True)
    attendees = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "registration ids of those who checked in"},
    )


CONTRACT = Contract(
    service="events",
    events=(
        Event("programme_published", ProgrammePublished),
        Event("event_completed", EventCompleted),
    ),
)
