"""Importing many titles at once (MARC files, migrations from other systems).

Records come as (position, payload or None, problem or None, record key). Each
batch is one transaction: good records are added with their title_created events,
a bad one is reported with its position and reason and changes nothing, and a
record whose key (or ISBN) is already in the catalogue is counted as unchanged, so
importing the same file again changes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from types import SimpleNamespace

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.chassis.bulk import insert_rows, reserve_ids
from services.chassis.concurrency import map_ahead
from services.chassis.context import Caller
from services.chassis.db import refresh_statistics
from services.chassis.errors import DomainError

from . import postings
from .models import Title, TitleSubject, events, title_id
from .titles import MODELLED, dump_title, search_document, subject_rows, validate_fields

BATCH = 1000
# Imports at least this large end with fresh planner statistics.
BULK = 10_000


@dataclass
class ImportReport:
    added: int = 0
    unchanged: int = 0
    failed: list[dict] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return self.added + self.unchanged + len(self.failed)

    def as_dict(self) -> dict:
        return {"added": self.added, "unchanged": self.unchanged, "failed": self.failed}


Record = tuple[int, dict | None, str | None, str | None]


def _batches(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    it = iter(records)
    while batch := list(islice(it, size)):
        yield batch


@dataclass
class Prepared:
    """One record, checked and turned into a titles row, before any database work."""

    position: int
    key: str | None
    problem: str | None = None  # the record could not be read
    failure: dict | None = None  # it was read, and its fields are not fit
    row: dict | None = None  # the titles row, but for its seq and times


def prepare(batch: list[Record]) -> list[Prepared]:
    """Validation, normalisation and stemming: the CPU work of an import, which
    needs no database and so runs ahead of the writes (see import_records)."""
    out = []
    for position, payload, problem, key in batch:
        out.append(Prepared(position, key, problem=problem))
        if problem:
            continue
        try:
            data = validate_fields(payload)
            if data.get("acquisition_ref"):
                raise DomainError("acquisition_ref cannot be set by an import")
        except DomainError as exc:
            fields = exc.details.get("fields") if exc.details else None
            out[-1].failure = {"position": position, "reason": str(exc), "fields": fields}
            continue
        out[-1].row = {
            **{name: data.get(name) for name in MODELLED},
            "authors": data.get("authors") or [],
            "subjects": data.get("subjects") or [],
            "record_key": key,
            "search_doc": search_document(data, available_at=[]),
            "version": 1,
        }
    return out


def import_batch(session: Session, batch: list[Prepared], caller: Caller, report: ImportReport):
    keys = {p.key for p in batch if p.key}
    known_keys = set(session.scalars(select(Title.record_key).where(Title.record_key.in_(keys))))
    fresh: list[tuple[int, dict]] = []
    for record in batch:
        if record.problem:
            report.failed.append({"position": record.position, "reason": record.problem})
        elif record.key and record.key in known_keys:
            report.unchanged += 1
        elif record.failure:
            report.failed.append(record.failure)
        else:
            fresh.append((record.position, record.row))
            if record.key:
                known_keys.add(record.key)  # the same record twice in one file
    _add(session, _drop_known_isbns(session, fresh, report), caller, report)


def _drop_known_isbns(session, fresh, report):
    isbns = {row["isbn"] for _, row in fresh if row.get("isbn")}
    taken = dict(session.execute(select(Title.isbn, Title.seq).where(Title.isbn.in_(isbns))).all())
    kept, seen = [], set()
    for position, row in fresh:
        isbn = row.get("isbn")
        if isbn and (isbn in taken or isbn in seen):
            where = title_id(taken[isbn]) if isbn in taken else "an earlier record of this file"
            report.failed.append(
                {"position": position, "reason": f"ISBN {isbn} is already {where}", "fields": None}
            )
            continue
        seen.add(isbn)
        kept.append(row)
    return kept


def _add(session: Session, rows: list[dict], caller: Caller, report: ImportReport) -> None:
    if not rows:
        return
    now = time.time()
    seqs = reserve_ids(session, Title.__table__.c.seq, len(rows))
    for seq, row in zip(seqs, rows, strict=True):
        row.update(seq=seq, created_by=caller.client_id, created_at=now, updated_at=now)
    insert_rows(session, Title.__table__, rows)
    subjects, created, documents = [], [], []
    for seq, row in zip(seqs, rows, strict=True):
        subjects += subject_rows(seq, row["subjects"])
        documents.append((seq, "", row["search_doc"]))
        dumped = dump_title(SimpleNamespace(**row, id=title_id(seq), withdrawn_at=None), [])
        created.append(("title_created", title_id(seq), dumped))
    postings.update_documents(session, documents)
    insert_rows(session, TitleSubject.__table__, subjects)
    events.emit_many(session, created, context=caller.as_context())
    report.added += len(seqs)


def import_records(
    transaction: Callable,
    records: Iterable[Record],
    caller: Caller,
    progress: Callable[[ImportReport], None] | None = None,
    batch_size: int = BATCH,
) -> ImportReport:
    """Import in batches, each in its own transaction from `transaction()`."""
    caller.require_role("branch")
    report = ImportReport()
    # While one batch is written, the next ones are prepared on another core.
    for batch in map_ahead(prepare, _batches(records, batch_size)):
        with transaction() as session:
            import_batch(session, batch, caller, report)
            engine = session.get_bind()
        if progress:
            progress(report)
    if report.added >= BULK:
        refresh_statistics(engine, Title.__tablename__)
    return report
