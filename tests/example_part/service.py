from chassis.nameko.database import Database
from chassis.nameko.service import ServiceBase, read, write

from . import notes
from .models import Base


class ExampleService(ServiceBase):
    name = "example"

    db = Database(Base)

    @write
    def add_note(self, session, payload: dict) -> dict:
        return notes.add_note(session, payload)

    @read
    def get_note(self, session, note_id: int) -> dict:
        return notes.get_note(session, note_id)
