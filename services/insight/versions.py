"""What a kept dashboard answer is checked against: the marks of the read models'
sources (an event adds one to its source's, a rebuild sets its time) and insight's
own mark, which every other write to the figures' rows adds one to (the visitors'
book, the members, a rebuild's pages). A write by any replica changes the version in
the write's own transaction, so an answer is given again only while nothing it sums
has changed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .counting import add
from .models import SourceMark

OWN = "insight"  # not a source of events: the dashboard's freshness never lists it


def wrote(session: Session) -> None:
    """This transaction changes rows a figure sums."""
    add(session, SourceMark, {"source": OWN}, "events", 1)


def version(session: Session) -> tuple:
    rows = select(SourceMark.source, SourceMark.events, SourceMark.rebuilt_at)
    return tuple(map(tuple, session.execute(rows.order_by(SourceMark.source))))


class KeptAnswers:
    """A process's latest dashboard answers, each with the version it was computed
    at: a dashboard over years is tens of queries and thousands of sums, asked again
    and again by the same pages while the figures stand still."""

    def __init__(self, size: int = 32):
        self.size, self.kept = size, {}

    def get(self, key: tuple, at: tuple) -> dict | None:
        found = self.kept.get(key)
        return found[1] if found and found[0] == at else None

    def put(self, key: tuple, at: tuple, answer: dict) -> None:
        self.kept.pop(key, None)
        if len(self.kept) >= self.size:
            self.kept.pop(next(iter(self.kept)))  # the oldest kept
        self.kept[key] = (at, answer)
