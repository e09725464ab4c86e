"""The example's domain logic: free of nameko, a session and plain values in."""

from sqlalchemy.orm import Session

from chassis.records import get_or_not_found
from chassis.schemas import load

from .contract import NoteInput
from .models import Note, outbox


def add_note(session: Session, payload: dict) -> dict:
    note = Note(text=load(NoteInput(), payload)["text"])
    session.add(note)
    session.flush()
    dumped = {"id": note.id, "text": note.text}
    outbox.emit(session, "note_added", note.id, dumped)
    return dumped


def get_note(session: Session, note_id: int) -> dict:
    key = note_id if isinstance(note_id, int) and not isinstance(note_id, bool) else None
    note = get_or_not_found(session, Note, key, noun="note", named=note_id)
    return {"id": note.id, "text": note.text}
