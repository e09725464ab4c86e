"""Importing many titles at once (MARC files, migrations from other systems).

Records come as (position, payload or None, problem or None, record key). A
payload may list the record's holdings in its field order (`holdings`), each
{"tag", "copy": an ItemInput payload} or {"tag", "reason" it describes no copy}
(see marc._holdings). Each batch is one transaction: good records are added with
their copies and their title_created and item_added events; a bad one is reported
with its position and reason and changes nothing; a record whose key is already in
the catalogue is counted as unchanged, so importing the same file again changes
nothing.

A holding that cannot become a copy is skipped, and reported with its record's
position, its number among the record's holdings (from 1), its tag and the reason;
the title and its other copies come in. It cannot when it has no barcode or branch
(a call number or shelving text only), a value ItemInput refuses, an unknown
branch or location, a barcode already a copy (in the catalogue or earlier in the
file), or a branch the caller's key may not act at. A holding is a fact about one
copy, the title a fact about the work: records from other libraries describe
titles we want with holdings that could never be ours, and failing such a record
would lose the title for them. So only the title's own problems fail a record
(unfit fields, an ISBN already catalogued, our own record of a title since
retitled). A skipped holding is not retried by importing the file again (the
record is then unchanged): the report lists it, to be added as a copy by hand.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from types import SimpleNamespace

from sqlalchemy import select
from sqlalchemy.orm import Session

from chassis.bulk import insert_rows, reserve_ids
from chassis.concurrency import map_ahead
from chassis.context import Caller
from chassis.db import refresh_statistics
from chassis.errors import DomainError, ValidationFailed
from chassis.schemas import load

from . import postings
from .contract import TITLE_ID
from .items import dump_item, item_input
from .marc import own_title_id
from .models import Branch, Item, Location, Title, TitleSubject, outbox
from .text import availability_tokens, fold
from .titles import (
    MODELLED,
    availability,
    dump_title,
    folded_subjects,
    search_document,
    subject_rows,
    validate_fields,
)

# Records per transaction. Each batch rewrites the index rows of its common words
# once, so larger batches write much less: 4,000 imports about 17% faster than
# 1,000 on PostgreSQL, and holds SQLite's write lock about half a second.
BATCH = 4000
# Imports at least this large end with fresh planner statistics.
BULK = 10_000


@dataclass
class ImportReport:
    added: int = 0
    unchanged: int = 0
    failed: list[dict] = field(default_factory=list)  # {position, reason, fields} per record
    skipped: list[dict] = field(default_factory=list)  # {position, holding, tag, reason}

    @property
    def seen(self) -> int:
        return self.added + self.unchanged + len(self.failed)

    def as_dict(self) -> dict:
        return {
            "added": self.added,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "skipped": self.skipped,
        }


Record = tuple[int, dict | None, str | None, str | None]


def _batches(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    it = iter(records)
    while batch := list(islice(it, size)):
        yield batch


@dataclass
class Holding:
    """One holding of a record: the copy it adds, or why it adds none."""

    number: int  # among the record's holdings, from 1
    tag: str | None
    copy: dict | None = None  # ItemInput-checked
    reason: str | None = None

    def skip(self, reason: str) -> None:
        self.copy, self.reason = None, reason

    def skipped(self, position: int) -> dict:
        return {
            "position": position,
            "holding": self.number,
            "tag": self.tag,
            "reason": self.reason,
        }


@dataclass
class Prepared:
    """One record, checked and turned into a titles row, before any database work."""

    position: int
    key: str | None
    problem: str | None = None  # the record could not be read
    failure: dict | None = None  # it was read, and its fields are not fit
    row: dict | None = None  # the titles row, but for its seq and times
    holdings: list[Holding] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)  # folded, as title_subjects holds them

    @property
    def copies(self) -> list[dict]:
        return [h.copy for h in self.holdings if h.copy]


def prepare(batch: list[Record]) -> list[Prepared]:
    """Validation, normalisation and stemming: the CPU work of an import, which
    needs no database and so runs ahead of the writes (see import_records)."""
    out = []
    for position, payload, problem, key in batch:
        out.append(Prepared(position, key, problem=problem))
        if problem:
            continue
        payload = dict(payload)
        holdings = payload.pop("holdings", [])
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
            # where it is available is added once the database has taken its copies
            "search_doc": search_document(data, []),
            "version": 1,
        }
        out[-1].holdings = [_holding(n, given) for n, given in enumerate(holdings, 1)]
        out[-1].subjects = folded_subjects(out[-1].row["subjects"])
    return out


def _holding(number: int, given: dict) -> Holding:
    """A holding as the reader gave it, its copy checked against ItemInput."""
    holding = Holding(number, given.get("tag"), reason=given.get("reason"))
    if holding.reason is None:
        try:
            holding.copy = load(item_input, given["copy"])
        except ValidationFailed as exc:
            holding.skip(_unfit(given["copy"], exc.details["fields"]))
    return holding


def _unfit(copy: dict, fields: dict) -> str:
    """ItemInput's field errors as one reason, each with the value it refuses."""
    return "; ".join(
        f"{name} {copy[name]!r}: {' '.join(why)}" if name in copy else f"{name}: {' '.join(why)}"
        for name, why in fields.items()
    )


def import_batch(session: Session, batch: list[Prepared], caller: Caller, report: ImportReport):
    keys = {p.key for p in batch if p.key}
    known_keys = (
        set(session.scalars(select(Title.record_key).where(Title.record_key.in_(keys))))
        if keys
        else set()
    )
    ours = _own_titles(session, keys)
    fresh: list[Prepared] = []
    for record in batch:
        if record.problem:
            report.failed.append({"position": record.position, "reason": record.problem})
        elif record.key in known_keys:
            report.unchanged += 1
        elif record.failure:
            report.failed.append(record.failure)
        elif record.key in ours:
            if ours[record.key] == fold(record.row["title"]):
                report.unchanged += 1
            else:
                _fail(report, record, f"it is {own_title_id(record.key)}, since retitled")
        else:
            fresh.append(record)
            if record.key:
                known_keys.add(record.key)  # the same record twice in one file
    fresh = _drop_known_isbns(session, fresh, report)
    _skip_unfit_copies(session, fresh, caller)
    _add(session, fresh, caller, report)


def _own_titles(session: Session, keys: set[str]) -> dict[str, str]:
    """Of the keys of records this catalogue wrote (an export, imported back), those
    naming a title it holds: key -> that title's folded title. Such a record is that
    title (an import adds, never overwrites), unless it has been retitled since."""
    seqs = {TITLE_ID.parse(own_title_id(key)): key for key in keys}
    seqs.pop(None, None)
    if not seqs:
        return {}
    rows = session.execute(select(Title.seq, Title.title).where(Title.seq.in_(seqs))).all()
    return {seqs[seq]: fold(title) for seq, title in rows}


def _fail(report: ImportReport, record: Prepared, reason: str) -> None:
    report.failed.append({"position": record.position, "reason": reason, "fields": None})


def _drop_known_isbns(session, fresh: list[Prepared], report) -> list[Prepared]:
    isbns = {p.row["isbn"] for p in fresh if p.row.get("isbn")}
    taken = (
        dict(session.execute(select(Title.isbn, Title.seq).where(Title.isbn.in_(isbns))).all())
        if isbns
        else {}
    )
    kept, seen = [], set()
    for record in fresh:
        isbn = record.row.get("isbn")
        if isbn and (isbn in taken or isbn in seen):
            where = (
                TITLE_ID.format(taken[isbn]) if isbn in taken else "an earlier record of this file"
            )
            _fail(report, record, f"ISBN {isbn} is already {where}")
            continue
        seen.add(isbn)
        kept.append(record)
    return kept


def _skip_unfit_copies(session, fresh: list[Prepared], caller: Caller) -> None:
    """Skip each holding whose copy the catalogue cannot take, looking up the
    batch's barcodes, branches and locations at once."""
    holdings = [h for record in fresh for h in record.holdings if h.copy]
    if not holdings:
        return
    copies = [h.copy for h in holdings]
    barcodes, codes = {c["barcode"] for c in copies}, {c["branch"] for c in copies}
    taken = dict(
        session.execute(
            select(Item.barcode, Item.title_seq).where(Item.barcode.in_(barcodes))
        ).all()
    )
    branches = set(session.scalars(select(Branch.code).where(Branch.code.in_(codes))))
    locations = set(
        session.execute(
            select(Location.branch_code, Location.code).where(Location.branch_code.in_(branches))
        ).all()
    )
    kept: set[str] = set()  # the barcodes of the copies kept so far
    for holding in holdings:
        copy = holding.copy
        barcode, branch, location = copy["barcode"], copy["branch"], copy.get("location")
        if barcode in taken:
            holding.skip(
                f"barcode {barcode} is already a copy of {TITLE_ID.format(taken[barcode])}"
            )
        elif barcode in kept:
            holding.skip(f"barcode {barcode} is already a copy in this file")
        elif branch not in branches:
            holding.skip(f"unknown branch {branch!r}")
        elif location and (branch, location) not in locations:
            holding.skip(f"branch {branch} has no location {location!r}")
        elif not caller.may_act_at(branch):
            holding.skip(f"this key may not add copies at branch {branch!r}")
        else:
            kept.add(barcode)


def _add(session: Session, fresh: list[Prepared], caller: Caller, report: ImportReport) -> None:
    if not fresh:
        return
    now = time.time()
    seqs = reserve_ids(session, Title.__table__.c.seq, len(fresh))
    rows = [record.row for record in fresh]
    for seq, row, record in zip(seqs, rows, fresh, strict=True):
        available_at = {c["branch"] for c in record.copies if c["status"] == "available"}
        row["search_doc"] = " ".join([row["search_doc"], *availability_tokens(available_at)])
        row.update(seq=seq, created_by=caller.client_id, created_at=now, updated_at=now)
    insert_rows(session, Title.__table__, rows)
    copies = [
        {
            "barcode": c["barcode"],
            "title_seq": seq,
            "branch_code": c["branch"],
            "location_code": c.get("location"),
            "status": c["status"],
            "note": c.get("note"),
            "created_at": now,
            "updated_at": now,
        }
        for seq, record in zip(seqs, fresh, strict=True)
        for c in record.copies
    ]
    insert_rows(session, Item.__table__, copies)
    per_branch = availability(session, sorted({c["title_seq"] for c in copies}))
    subjects, created, documents = [], [], []
    for seq, row, record in zip(seqs, rows, fresh, strict=True):
        subjects += subject_rows(seq, record.subjects)
        documents.append((seq, "", row["search_doc"]))
        title = SimpleNamespace(**row, id=TITLE_ID.format(seq), withdrawn_at=None)
        created.append(("title_created", title.id, dump_title(title, per_branch.get(seq, []))))
    created += [  # an import cites no acquisition (see above)
        ("item_added", c["barcode"], {**dump_item(SimpleNamespace(**c)), "acquisition_ref": None})
        for c in copies
    ]
    postings.update_documents(session, documents)
    insert_rows(session, TitleSubject.__table__, subjects)
    outbox.emit_many(session, created)
    report.added += len(seqs)
    report.skipped += [h.skipped(r.position) for r in fresh for h in r.holdings if h.reason]


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
