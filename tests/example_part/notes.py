"""The example's domain logic: free of nameko, a session and plain values in."""

from sqlalchemy.orm import Session

from services.chassis.errors import NotFound
from services.chassis.schemas import load

from .contract import NoteInput
from .models import Note, events


def add_note(session: Session, payload: dict) -> dict:
    note = Note(text=load(NoteInput(), payload)["text"])
    session.add(note)
    session.flush()
    dumped = {"id": note.id, "text": note.text}
    events.emit(session, "note_added", note.id, dumped)
    return dumped


def get_note(session: Session, note_id: int) -> dict:
    note = session.get(Note, note_id) if isinstance(note_id, int) else None
    if note is None:
        raise NotFound(f"No note {note_id!r}.", {"id": note_id})
    return {"id": note.id, "text": note.text}
