from marshmallow import Schema, fields, validate

from chassis.contract import Contract, Event, Method
from chassis.errors import NotFound
from chassis.schemas import Input


class NoteInput(Input):
    text = fields.String(required=True, validate=validate.Length(min=1, max=200))


class NoteOutput(Schema):
    id = fields.Integer(required=True)
    text = fields.String(required=True)


CONTRACT = Contract(
    service="example",
    methods=(
        Method("add_note", ("payload",), NoteInput, NoteOutput, (), writes=True),
        Method("get_note", ("note_id",), None, NoteOutput, (NotFound,)),
        Method("health"),
    ),
    events=(Event("note_added", NoteOutput),),
)
