"""A bulk import writes the same catalogue whichever way its rows reach the database.

The CLI runs outside eventlet: records are prepared in a worker process and, on
PostgreSQL, titles, subjects and events go in by COPY. Inside this (monkey
patched) test process the same import prepares in line and uses multi-row
INSERTs. Text with COPY's special characters must come through both unchanged,
and so must the holdings: copies, and those skipped with their reasons.
"""

import json
import os

import pytest
from pymarc import Field, Record, Subfield
from sqlalchemy import select

from chassis.context import SYSTEM, Caller
from chassis.db import open_database
from chassis.migrations import upgrade
from services.catalog import branches, exchange
from services.catalog.models import Base, Title, TitleSubject, outbox_table
from services.catalog.part import PART as CATALOG
from tests.support import index_of_documents, pustaka, stored_index

AWKWARD = [
    "Tab\there",
    "a back\\slash, and \\N, which COPY reads as NULL",
    "two\nlines\r\nand a carriage return",
    "quotes \"double\" and 'single'",
    "Bahasa Kerinci: ꦲꦏ꧀ꦱꦫ, é, 日本",
]


def awkward_record(n: int) -> Record:
    text = AWKWARD[n % len(AWKWARD)]
    record = Record()
    record.add_field(Field(tag="001", data=f"bulk-{n}"))
    for tag, code, value in (
        ("100", "a", f"Penulis {n}\t{text}"),
        ("245", "a", f"Judul {n}: {text}"),
        ("520", "a", f"Ringkasan {text}"),
        ("650", "a", f"Subjek {text}"),
        ("264", "b", "Balai\\Pustaka"),
    ):
        record.add_field(Field(tag=tag, indicators=[" ", " "], subfields=[Subfield(code, value)]))
    record.add_field(holding(n, text))
    return record


def holding(n: int, text: str) -> Field:
    """In turn: a copy with awkward text in its note, a call number only, and a copy
    at a branch the catalogue does not have."""
    tag, subfields = [
        ("952", [("a", "SPN"), ("p", f"SPN-{n:04d}"), ("z", text)]),
        ("852", [("h", f"899.221 {n}")]),
        ("952", [("a", "XYZ"), ("p", f"XYZ-{n:04d}")]),
    ][n % 3]
    return Field(tag=tag, indicators=[" ", " "], subfields=[Subfield(*s) for s in subfields])


def catalogue(url: str) -> dict:
    """What an import wrote: titles, subjects, event data and the search index."""
    db = open_database(url, Base.metadata)
    try:
        with db.reading() as session:
            fields = [c for c in Title.__table__.c if c.name not in ("created_at", "updated_at")]
            titles = [tuple(row) for row in session.execute(select(*fields).order_by(Title.seq))]
            subjects = session.execute(select(TitleSubject.__table__)).all()
            events = [
                json.loads(envelope)["data"]
                for (envelope,) in session.execute(
                    select(outbox_table.c.envelope).order_by(outbox_table.c.id)
                )
            ]
            for data in events:
                data.pop("created_at", None)  # an item's data has none
                data.pop("updated_at", None)  # nor a branch's
            consistent = stored_index(session) == index_of_documents(session)
        return {"titles": titles, "subjects": sorted(subjects), "events": events, "ok": consistent}
    finally:
        db.engine.dispose()


def add_branch_spn(url: str) -> None:
    db = open_database(url, Base.metadata)
    with db.transaction() as session:
        branches.put_branch(session, {"code": "SPN", "name": "Perpustakaan Pusat"}, SYSTEM)
    db.engine.dispose()


@pytest.fixture
def second_database_url(database_url, tmp_path, request):
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'second.db'}"
    return request.getfixturevalue("make_postgres_db")()


def test_the_cli_and_the_service_paths_write_the_same_catalogue(
    base_config, database_url, second_database_url, tmp_path
):
    path = tmp_path / "awkward.mrc"
    path.write_bytes(b"".join(awkward_record(n).as_marc() for n in range(25)))

    env = {**os.environ, "DATA_DIR": str(tmp_path / "data"), "CATALOG__DATABASE_URL": database_url}
    migrated = pustaka(env, "migrate", "catalog")
    assert migrated.returncode == 0, migrated.stderr
    add_branch_spn(database_url)
    done = pustaka(env, "catalog", "import", str(path), "--as", "bulk")
    assert done.returncode == 0, done.stderr
    assert "added 25, unchanged 0, failed 0, holdings skipped 16" in done.stdout

    upgrade(CATALOG, {**base_config, "catalog": {"DATABASE_URL": second_database_url}})
    add_branch_spn(second_database_url)
    db = open_database(second_database_url, Base.metadata)
    report = exchange.import_marc(
        db.transaction, path.read_bytes(), Caller(client_id="bulk", role="admin")
    )
    db.engine.dispose()
    assert (report.added, len(report.skipped)) == (25, 16)

    by_cli, in_process = catalogue(database_url), catalogue(second_database_url)
    assert by_cli == in_process
    # the branch, then each title and each copy kept
    assert by_cli["ok"] and len(by_cli["titles"]) == 25 and len(by_cli["events"]) == 1 + 25 + 9
    written = "\n".join(str(value) for row in by_cli["titles"] for value in row)
    notes = [data["note"] for data in by_cli["events"] if "barcode" in data]
    for text in AWKWARD:
        assert text in written and text in notes
