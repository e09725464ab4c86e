"""MARC files in and out of a migrated catalogue (SQLite, then PostgreSQL)."""

import xml.etree.ElementTree as ET

import pytest
from pymarc import Field, Record, Subfield
from sqlalchemy import select

from chassis.context import SYSTEM, Caller
from chassis.errors import ValidationFailed
from services.catalog import branches, exchange, items, marc, titles
from services.catalog.contract import TITLE_ID
from services.catalog.models import Item, outbox_table

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


# --- copies (852, Koha's 952) ---------------------------------------------------------


def with_holdings(record: Record, *holdings: dict, tag: str = "952") -> Record:
    """Holdings, as Koha's 952s: branch $a, location $c, barcode $p, and `flags` ($0,
    $1, $4, $q); or, with tag="852", MARC21's: branch $b, location $c, barcode $p."""
    for holding in holdings:
        subfields = [Subfield(code, value) for code, value in holding.items() if code != "flags"]
        subfields += [Subfield(code, value) for code, value in holding.get("flags", {}).items()]
        record.add_field(Field(tag=tag, indicators=[" ", " "], subfields=subfields))
    return record


def barcodes(session) -> dict[str, str]:
    """Barcode -> the title id of each copy in the catalogue."""
    rows = session.execute(select(Item.barcode, Item.title_seq).order_by(Item.barcode))
    return {barcode: TITLE_ID.format(seq) for barcode, seq in rows}


@pytest.fixture
def branches_spn_kmn(catalog_db):
    with catalog_db.transaction() as session:
        for code, name in (("SPN", "Perpustakaan Pusat"), ("KMN", "Cabang Kumun")):
            branches.put_branch(session, {"code": code, "name": name}, SYSTEM)
        branches.put_location(session, "SPN", {"code": "REF", "name": "Referensi"}, SYSTEM)


def test_copies_come_in_with_their_titles_statuses_and_events(catalog_db, branches_spn_kmn):
    data = marc_file(
        with_holdings(
            book("h1", "Hikayat Hang Tuah"),
            {"a": "SPN", "c": "REF", "p": "SPN-0001"},
            {"a": "KMN", "p": "KMN-0001", "flags": {"q": "2026-12-01"}},
        ),
        with_holdings(
            book("h2", "Sitti Nurbaya"), {"a": "KMN", "p": "KMN-0002", "flags": {"1": "1"}}
        ),
    )
    report = exchange.import_marc(catalog_db.transaction, data, SYSTEM)
    assert (report.added, report.failed, report.skipped) == (2, [], [])
    with catalog_db.reading() as session:
        found = titles.search_titles(session, {"q": "hang tuah"})["items"][0]
        assert found["availability"] == [
            {"branch": "KMN", "available": 0, "total": 1},
            {"branch": "SPN", "available": 1, "total": 1},
        ]
        assert items.get_item(session, "SPN-0001")["location"] == "REF"
        assert items.get_item(session, "KMN-0001")["status"] == "on_loan"
        assert items.get_item(session, "KMN-0002")["status"] == "lost"
        # the facet "has an available copy at" sees imported copies
        assert titles.search_titles(session, {"available_at": "SPN"})["total"] == 1
        assert titles.search_titles(session, {"available_at": "KMN"})["total"] == 0
        events = [row.event_type for row in session.execute(select(outbox_table.c.event_type))]
    assert events.count("title_created") == 2 and events.count("item_added") == 3

    again = exchange.import_marc(catalog_db.transaction, data, SYSTEM)
    assert (again.added, again.unchanged, again.failed, again.skipped) == (0, 2, [], [])


def test_a_call_number_only_holding_is_reported_and_its_title_comes_in(
    catalog_db, branches_spn_kmn
):
    data = marc_file(
        book("n1", "Sejarah Kerinci"),
        with_holdings(
            book("n2", "Tambo Kerinci"), {"a": "ID-JKPNRI", "h": "959.8 TAM t"}, tag="852"
        ),
    )
    report = exchange.import_marc(catalog_db.transaction, data, SYSTEM)
    assert (report.added, report.failed) == (2, [])
    assert report.skipped == [
        {"position": 2, "holding": 1, "tag": "852", "reason": "no barcode ($p) or branch ($b)"}
    ]
    with catalog_db.reading() as session:
        [found] = titles.search_titles(session, {"q": "tambo"})["items"]
        assert found["availability"] == [] and barcodes(session) == {}

    again = exchange.import_marc(catalog_db.transaction, data, SYSTEM)
    assert (again.added, again.unchanged, again.failed, again.skipped) == (0, 2, [], [])


def test_a_record_keeps_its_good_copies_and_reports_each_bad_holding(catalog_db, branches_spn_kmn):
    exchange.import_marc(
        catalog_db.transaction,
        marc_file(with_holdings(book("g0", "Sudah ada"), {"a": "KMN", "p": "KMN-0009"})),
        SYSTEM,
    )
    record = with_holdings(book("g1", "Kaba Rancak"), {"a": "SPN", "c": "REF", "p": "SPN-0009"})
    with_holdings(record, {"b": "KMN", "c": "REF", "h": "899.221"}, tag="852")
    with_holdings(record, {"a": "KMN", "p": "KMN-0009"})
    report = exchange.import_marc(catalog_db.transaction, marc_file(record), SYSTEM)
    assert (report.added, report.failed) == (1, [])
    with catalog_db.reading() as session:
        [found] = titles.search_titles(session, {"q": "rancak"})["items"]
        older = titles.search_titles(session, {"q": "sudah"})["items"][0]["id"]
        assert barcodes(session) == {"SPN-0009": found["id"], "KMN-0009": older}
        # the index knows only the copy that came in: available at SPN, not at KMN
        assert found["availability"] == [{"branch": "SPN", "available": 1, "total": 1}]
        assert titles.search_titles(session, {"q": "rancak", "available_at": "SPN"})["total"] == 1
        assert titles.search_titles(session, {"q": "rancak", "available_at": "KMN"})["total"] == 0
        events = [row.event_type for row in session.execute(select(outbox_table.c.event_type))]
    assert events.count("item_added") == 2  # Sudah ada's and Kaba Rancak's one copy
    assert report.skipped == [
        {"position": 1, "holding": 2, "tag": "852", "reason": "no barcode ($p)"},
        {
            "position": 1,
            "holding": 3,
            "tag": "952",
            "reason": f"barcode KMN-0009 is already a copy of {older}",
        },
    ]

    again = exchange.import_marc(catalog_db.transaction, marc_file(record), SYSTEM)
    assert (again.added, again.unchanged, again.failed, again.skipped) == (0, 1, [], [])


@pytest.mark.parametrize(
    "copy, reason",
    [
        ({"a": "XYZ", "p": "XYZ-0001"}, "unknown branch 'XYZ'"),
        ({"a": "SPN", "c": "GUDANG", "p": "SPN-0009"}, "branch SPN has no location 'GUDANG'"),
        ({"a": "SPN", "p": "SPN-0001"}, "barcode SPN-0001 is already a copy of T000001"),
        ({"a": "SPN", "p": "x"}, "barcode 'x': 4-32 letters, digits or '-'."),
        ({"a": "spn", "p": "SPN-0009"}, "branch 'spn': Use 2-10 capital letters or digits."),
        ({"a": "SPN"}, "no barcode ($p)"),
    ],
)
def test_a_holding_that_cannot_be_a_copy_is_skipped_with_its_reason(
    catalog_db, branches_spn_kmn, copy, reason
):
    exchange.import_marc(
        catalog_db.transaction,
        marc_file(with_holdings(book("e0", "Sudah ada"), {"a": "SPN", "p": "SPN-0001"})),
        SYSTEM,
    )
    data = marc_file(
        book("e1", "Baik"),
        with_holdings(book("e2", "Salinan buruk"), copy),
        book("e3", "Baik juga"),
    )
    report = exchange.import_marc(catalog_db.transaction, data, SYSTEM)
    assert (report.added, report.failed) == (3, [])
    assert report.skipped == [{"position": 2, "holding": 1, "tag": "952", "reason": reason}]
    with catalog_db.reading() as session:
        assert titles.search_titles(session, {"q": "salinan"})["total"] == 1
        assert list(barcodes(session)) == ["SPN-0001"]


def test_the_same_barcode_twice_in_a_file_keeps_the_first(catalog_db, branches_spn_kmn):
    data = marc_file(
        with_holdings(book("d1", "Pertama"), {"a": "SPN", "p": "SPN-0100"}),
        with_holdings(
            book("d2", "Kedua"), {"a": "KMN", "p": "KMN-0100"}, {"a": "KMN", "p": "SPN-0100"}
        ),
        with_holdings(book("d3", "Ketiga"), {"a": "SPN", "p": "KMN-0100"}),
    )
    report = exchange.import_marc(catalog_db.transaction, data, SYSTEM)
    assert (report.added, report.failed) == (3, [])
    assert [(s["position"], s["holding"], s["reason"]) for s in report.skipped] == [
        (2, 2, "barcode SPN-0100 is already a copy in this file"),
        (3, 1, "barcode KMN-0100 is already a copy in this file"),
    ]
    with catalog_db.reading() as session:
        assert sorted(barcodes(session)) == ["KMN-0100", "SPN-0100"]


def test_a_branch_key_imports_copies_only_at_its_own_branch(catalog_db, branches_spn_kmn):
    kumun = Caller(client_id="kumun", role="branch", branch="KMN")
    data = marc_file(
        with_holdings(book("k1", "Milik Kumun"), {"a": "KMN", "p": "KMN-0200"}),
        with_holdings(
            book("k2", "Milik Pusat"), {"a": "SPN", "p": "SPN-0200"}, {"a": "KMN", "p": "KMN-0201"}
        ),
    )
    report = exchange.import_marc(catalog_db.transaction, data, kumun)
    assert (report.added, report.failed) == (2, [])
    assert report.skipped == [
        {
            "position": 2,
            "holding": 1,
            "tag": "952",
            "reason": "this key may not add copies at branch 'SPN'",
        }
    ]
    with catalog_db.reading() as session:
        assert sorted(barcodes(session)) == ["KMN-0200", "KMN-0201"]


def test_export_lists_held_copies_and_they_round_trip(catalog_db, branches_spn_kmn):
    data = marc_file(
        with_holdings(
            book("x1", "Robohnya Surau Kami"),
            {"a": "SPN", "c": "REF", "p": "SPN-0300", "z": "Cetakan pertama"},
            {"a": "KMN", "p": "KMN-0300"},
            {"a": "KMN", "p": "KMN-0301", "flags": {"0": "1"}},  # withdrawn: not held
        )
    )
    exchange.import_marc(catalog_db.transaction, data, SYSTEM)
    with catalog_db.reading() as session:
        [title_id] = [t["id"] for t in titles.search_titles(session, {"q": "surau"})["items"]]
        xml = exchange.export_title(session, title_id)
    (_, back, problem) = next(marc.read_titles(xml.encode()))
    assert problem is None
    assert back["holdings"] == [
        {"tag": "852", "copy": {"barcode": "KMN-0300", "branch": "KMN"}},
        {
            "tag": "852",
            "copy": {
                "barcode": "SPN-0300",
                "branch": "SPN",
                "location": "REF",
                "note": "Cetakan pertama",
            },
        },
    ]


def test_a_failed_record_leaves_its_barcodes_to_later_records(catalog_db, branches_spn_kmn):
    data = marc_file(
        with_holdings(book("f1", "Gagal", "9789793062793"), {"a": "SPN", "p": "SPN-0400"}),
        with_holdings(book("f2", "Berhasil"), {"a": "SPN", "p": "SPN-0400"}),
    )
    report = exchange.import_marc(catalog_db.transaction, data, SYSTEM)
    assert (report.added, report.skipped) == (1, [])
    assert report.failed[0]["position"] == 1 and "isbn" in report.failed[0]["fields"]
    with catalog_db.reading() as session:
        assert (
            items.get_item(session, "SPN-0400")["title_id"]
            == titles.search_titles(session, {"q": "berhasil"})["items"][0]["id"]
        )


def test_an_export_of_more_than_the_limit_is_refused_not_cut(catalog_db, monkeypatch):
    data = marc_file(book("l1", "Kerinci satu"), book("l2", "Kerinci dua"))
    exchange.import_marc(catalog_db.transaction, data, SYSTEM)
    monkeypatch.setattr(exchange, "EXPORT_MAX", 1)
    with catalog_db.reading() as session, pytest.raises(ValidationFailed, match="at most 1"):
        exchange.export_search(session, {"q": "kerinci"})


def test_an_export_imported_back_is_its_own_titles_unchanged(catalog_db, branches_spn_kmn):
    with catalog_db.transaction() as session:
        kept = titles.create_title(session, {"title": "Kaba Cindua Mato"}, SYSTEM)
        retitled = titles.create_title(session, {"title": "Kaba Malin Deman"}, SYSTEM)
        items.add_item(session, kept["id"], {"barcode": "SPN-0500", "branch": "SPN"}, SYSTEM)
    with catalog_db.reading() as session:
        xml = exchange.export_search(session, {"q": "kaba"})
    with catalog_db.transaction() as session:
        titles.update_title(session, retitled["id"], {"title": "Kaba Malin Deman baru"}, SYSTEM)

    report = exchange.import_marc(catalog_db.transaction, xml.encode(), SYSTEM)
    assert (report.added, report.unchanged) == (0, 1)
    (problem,) = report.failed
    assert problem["position"] == 1 and f"it is {retitled['id']}" in problem["reason"]
    with catalog_db.reading() as session:
        assert titles.search_titles(session, {"q": "kaba"})["total"] == 2


def test_a_record_of_ours_for_a_title_not_held_is_added_once(catalog_db):
    record = book("T000099", "Tambo Kerinci")  # another catalogue's export, say
    record.add_field(Field(tag="003", data=marc.ORG_CODE))
    first = exchange.import_marc(catalog_db.transaction, marc_file(record), SYSTEM)
    again = exchange.import_marc(catalog_db.transaction, marc_file(record), SYSTEM)
    assert (first.added, again.added, again.unchanged) == (1, 0, 1)
