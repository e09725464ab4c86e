"""MARC files in and out of a migrated catalogue (SQLite, then PostgreSQL)."""

import xml.etree.ElementTree as ET

import pytest
from pymarc import Field, Record, Subfield

from services.catalog import exchange, marc, titles
from services.chassis.context import SYSTEM
from services.chassis.errors import ValidationFailed

MARC = "{http://www.loc.gov/MARC21/slim}"


def book(control: str, title: str, isbn: str | None = None) -> Record:
    record = Record()
    record.add_field(Field(tag="001", data=control))
    if isbn:
        record.add_field(Field(tag="020", indicators=[" ", " "], subfields=[Subfield("a", isbn)]))
    record.add_field(Field(tag="245", indicators=["0", "0"], subfields=[Subfield("a", title)]))
    return record


def marc_file(*records: Record, corrupt_position: int | None = None) -> bytes:
    chunks = [r.as_marc() for r in records]
    if corrupt_position:
        chunks[corrupt_position - 1] = b"00042xx" + chunks[corrupt_position - 1][7:40] + b"\x1d"
    return b"".join(chunks)


def test_good_records_are_kept_bad_ones_reported_by_position(catalog_db):
    data = marc_file(
        book("a1", "Laskar Pelangi", "9789793062792"),
        book("a2", "Rusak"),
        book("a3", "Sang Pemimpi", "9786020332956"),
        corrupt_position=2,
    )
    report = exchange.import_marc(catalog_db.transaction, data, SYSTEM)
    assert report.added == 2
    (problem,) = report.failed
    assert problem["position"] == 2 and problem["reason"]
    with catalog_db.reading() as session:
        assert titles.search_titles(session, {"q": "pemimpi"})["total"] == 1


def test_importing_the_same_file_again_changes_nothing(catalog_db):
    data = marc_file(book("b1", "Bumi Manusia"), book("b2", "Anak Semua Bangsa"))
    first = exchange.import_marc(catalog_db.transaction, data, SYSTEM)
    again = exchange.import_marc(catalog_db.transaction, data, SYSTEM)
    assert (first.added, again.added, again.unchanged, again.failed) == (2, 0, 2, [])


def test_a_record_with_an_isbn_already_catalogued_is_reported(catalog_db):
    with catalog_db.transaction() as session:
        made = titles.create_title(session, {"title": "x", "isbn": "9789793062792"}, SYSTEM)
    report = exchange.import_marc(
        catalog_db.transaction, marc_file(book("c1", "Laskar", "979-3062-79-7")), SYSTEM
    )
    assert report.added == 0 and made["id"] in report.failed[0]["reason"]


def test_bad_field_values_are_reported_with_the_field(catalog_db):
    report = exchange.import_marc(
        catalog_db.transaction, marc_file(book("d1", "Salah", "9789793062793")), SYSTEM
    )
    assert report.failed[0]["position"] == 1
    assert "isbn" in report.failed[0]["fields"]


def test_an_empty_file_is_refused(catalog_db):
    with pytest.raises(ValidationFailed):
        exchange.import_marc(catalog_db.transaction, b"  ", SYSTEM)


def test_export_round_trips_every_modelled_field(catalog_db):
    fields = {
        "title": "Pengantar Ilmu Perpustakaan",
        "subtitle": "edisi kedua",
        "authors": ["Sulistyo-Basuki"],
        "subjects": ["Ilmu perpustakaan"],
        "publisher": "Gramedia Pustaka Utama",
        "year": 1991,
        "language": "ind",
        "isbn": "9786024241117",
        "call_number": "020 SUL p",
        "description": "Buku dasar ilmu perpustakaan.",
    }
    with catalog_db.transaction() as session:
        made = titles.create_title(session, fields, SYSTEM)
    with catalog_db.reading() as session:
        xml = exchange.export_title(session, made["id"])
        collection = exchange.export_search(session, {"q": "perpustakaan"})
    (position, back, problem) = next(marc.read_titles(xml.encode()))
    assert problem is None
    assert {k: back.get(k) for k in fields} == fields
    assert len(ET.fromstring(collection).findall(f"{MARC}record")) == 1
