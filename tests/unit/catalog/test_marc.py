"""MARC21 <-> title dicts: mapping of real-looking records, round trips for every
material type (in memory, ISO 2709 bytes, MARCXML), and readers that survive bad records."""

import unicodedata
import xml.etree.ElementTree as ET

import pytest
from pymarc import Field, Indicators, Record, Subfield
from pymarc.marcxml import MARC_XML_NS, record_to_xml_node

from services.catalog import marc
from services.catalog.contract import MATERIAL_TYPES

NS = f"{{{MARC_XML_NS}}}"
BOOK_LEADER = "00000nam a2200000 i 4500"
SERIAL_LEADER = "00000cas a2200000 i 4500"


def f008(date1="2005", lang="ind", serial_type="|", form="|"):
    specific = f"|||{serial_type}|{form}|||||||||||"  # 008/18-34
    return f"050101s{date1}    io {specific}{lang} d"


def make(leader, *fields):
    """A record from ("001", data) and ("245", "10", [("a", "...")]) tuples; a title is
    added when none is given so each record is importable."""
    record = Record(leader=leader)
    for tag, *rest in fields:
        if tag < "010":
            record.add_field(Field(tag, data=rest[0]))
        else:
            indicators, subfields = rest
            subs = [Subfield(code, value) for code, value in subfields]
            record.add_field(Field(tag, Indicators(*indicators), subs))
    if "245" not in record:
        record.add_field(Field("245", Indicators("0", "0"), [Subfield("a", "Judul")]))
    return record


def laskar_pelangi():
    return make(
        BOOK_LEADER,
        ("001", "0001234567"),
        ("003", "IDJKPN"),
        ("008", f008()),
        ("020", "  ", [("a", "9789793062792 (pbk.)")]),
        ("082", "04", [("a", "899.221/3"), ("2", "23")]),
        ("100", "1 ", [("a", "Hirata, Andrea,"), ("e", "pengarang.")]),
        (
            "245",
            "10",
            [("a", "Laskar pelangi :"), ("b", "sebuah novel /"), ("c", "Andrea Hirata.")],
        ),
        ("250", "  ", [("a", "Cet. 1.")]),
        ("264", " 1", [("a", "Yogyakarta :"), ("b", "Bentang Pustaka,"), ("c", "2005.")]),
        ("520", "  ", [("a", "Sepuluh anak Melayu miskin bersekolah di Belitung.")]),
        ("590", "  ", [("a", "Hadiah dari penerbit.")]),  # another library's note, not ours
        ("650", " 4", [("a", "Novel Indonesia.")]),
        ("651", " 4", [("a", "Belitung (Indonesia)"), ("v", "Fiksi.")]),
    )


def jurnal_pustakawan():
    return make(
        SERIAL_LEADER,
        ("008", f008("2004", serial_type="p")),
        ("022", "0 ", [("a", "1412-0461")]),
        ("041", "0 ", [("a", "indeng")]),
        ("245", "00", [("a", "Jurnal pustakawan Indonesia.")]),
        ("260", "  ", [("a", "Bogor :"), ("b", "Perpustakaan IPB,"), ("c", "2004-")]),
        ("650", " 4", [("a", "Ilmu perpustakaan"), ("v", "Terbitan berkala.")]),
        ("700", "1 ", [("a", "Siregar, A. R.,"), ("e", "editor.")]),
    )


def bumi_manusia_ebook():
    return make(
        BOOK_LEADER,
        ("001", "EB-0042"),
        ("007", "cr |||||||||||"),
        ("008", f008("2011", form="o")),
        ("020", "  ", [("a", "979-97312-3-2")]),
        ("100", "0 ", [("a", "Pramoedya Ananta Toer.")]),
        ("245", "10", [("a", "Bumi manusia")]),
        ("856", "40", [("u", "https://ipusnas.id/buku/bumi-manusia"), ("z", "Baca e-book")]),
    )


def test_a_book_record_maps_to_a_title():
    assert marc.record_to_title(laskar_pelangi()) == {
        "material_type": "book",
        "title": "Laskar pelangi",
        "subtitle": "sebuah novel",
        "authors": ["Hirata, Andrea"],
        "subjects": ["Novel Indonesia", "Belitung (Indonesia) -- Fiksi"],
        "publisher": "Bentang Pustaka",
        "year": 2005,
        "language": "ind",
        "isbn": "9789793062792",
        "call_number": "899.2213",
        "description": "Sepuluh anak Melayu miskin bersekolah di Belitung.",
        "record_key": "IDJKPN:0001234567",
    }


def test_a_journal_record_maps_to_a_title():
    title = marc.record_to_title(jurnal_pustakawan())
    assert title["material_type"] == "journal"
    assert title["issn"] == "1412-0461"
    assert title["language"] == "ind"  # first code of the pre-2001 packed "indeng"
    assert (title["publisher"], title["year"]) == ("Perpustakaan IPB", 2004)
    assert title["authors"] == ["Siregar, A. R."]  # the initial keeps its full stop
    assert title["subjects"] == ["Ilmu perpustakaan -- Terbitan berkala"]
    assert title["record_key"].startswith("sha1:")  # no 001


def test_an_ebook_record_maps_to_a_title():
    title = marc.record_to_title(bumi_manusia_ebook())
    assert title["material_type"] == "ebook"
    assert title["access_url"] == "https://ipusnas.id/buku/bumi-manusia"
    assert title["isbn"] == "9799731232"
    assert title["authors"] == ["Pramoedya Ananta Toer"]
    assert title["record_key"] == ":EB-0042"  # 001 without 003


@pytest.mark.parametrize(
    ("leader", "fields", "expected"),
    [
        ("00000ngm a2200000 i 4500", [], "audiovisual"),
        ("00000njm a2200000 i 4500", [], "audiovisual"),
        ("00000nai a2200000 i 4500", [], "database"),
        (SERIAL_LEADER, [("008", f008(serial_type="d"))], "database"),
        (SERIAL_LEADER, [("655", " 7", [("a", "Majalah.")])], "magazine"),
        (SERIAL_LEADER, [("008", f008(serial_type="p"))], "journal"),
        ("00000nmm a2200000 i 4500", [], "ebook"),
        (BOOK_LEADER, [("245", "10", [("a", "Sejarah"), ("h", "[electronic resource]")])], "ebook"),
        (
            BOOK_LEADER,
            [("856", "42", [("3", "Electronic table of contents"), ("u", "http://x.id")])],
            "book",
        ),
        (BOOK_LEADER, [("007", "ou")], "book"),  # an optical disc is not an e-book
    ],
)
def test_material_type_comes_from_leader_008_and_hints(leader, fields, expected):
    assert marc.record_to_title(make(leader, *fields))["material_type"] == expected


def test_a_record_without_245a_is_a_marc_error():
    record = make(BOOK_LEADER, ("245", "10", [("b", "hanya anak judul")]))
    with pytest.raises(marc.MarcError, match="245"):
        marc.record_to_title(record)
    assert issubclass(marc.MarcError, ValueError)


def full(material_type, **fields):
    return {"material_type": material_type, "authors": [], "subjects": [], "language": "ind"} | (
        fields
    )


TITLES = [
    full(
        "book",
        title="Laskar Pelangi",
        subtitle="sebuah novel",
        authors=["Andrea Hirata", "Hasan, M. Y."],
        subjects=["Novel Indonesia", "Belitung (Indonesia) -- Sekolah -- Fiksi"],
        publisher="Bentang Pustaka",
        year=2005,
        isbn="9789793062792",
        call_number="899.221 3 HIR l",
        description="Sepuluh anak Melayu miskin bersekolah di Belitung.\n\nNovel pertama.",
        acquisition_ref="ACQ000007",
        copies=[
            {"barcode": "SPN-000123", "branch": "SPN", "location": "REF", "note": "Hadiah"},
            {"barcode": "KMN-000045", "branch": "KMN"},
        ],
    ),
    full("magazine", title="Tempo", issn="0126-4273", publisher="Tempo Inti Media", year=1971),
    full(
        "journal",
        title="Jurnal Pustakawan Indonesia",
        issn="1412-0461",
        language="eng",
        subjects=["Ilmu perpustakaan"],
    ),
    full(
        "ebook",
        title="Bumi Manusia",
        authors=["Pramoedya Ananta Toer"],
        year=2011,
        access_url="https://ipusnas.id/buku/bumi-manusia",
    ),
    full(
        "database",
        title="Garuda",
        subtitle="Garba Rujukan Digital",
        access_url="https://garuda.kemdikbud.go.id",
    ),
    full(
        "audiovisual", title="Laskar Pelangi", subtitle="film", publisher="Miles Films", year=2008
    ),
]


def as_written(read):
    """A title read back as title_to_record took it: no record key, and its holdings
    (all copies, since we wrote them) as its copies."""
    title = {k: v for k, v in read.items() if k not in ("record_key", "holdings")}
    if "holdings" in read:
        title["copies"] = [holding["copy"] for holding in read["holdings"]]
    return title


def test_the_examples_cover_every_material_type():
    assert sorted(t["material_type"] for t in TITLES) == sorted(MATERIAL_TYPES)


@pytest.mark.parametrize("title", TITLES, ids=lambda t: t["material_type"])
def test_round_trip_in_memory(title):
    assert as_written(marc.record_to_title(marc.title_to_record(title))) == title


def test_round_trip_through_binary_marc21():
    read = list(marc.read_titles(marc.titles_to_marc21(TITLES)))
    assert [(pos, as_written(t), err) for pos, t, err in read] == [
        (i, t, None) for i, t in enumerate(TITLES, 1)
    ]


def test_round_trip_through_marcxml():
    read = list(marc.read_titles(marc.titles_to_marcxml(TITLES)))
    assert [(pos, as_written(t), err) for pos, t, err in read] == [
        (i, t, None) for i, t in enumerate(TITLES, 1)
    ]


def koha_item(**subfields) -> tuple:
    return ("952", "  ", list(subfields.items()))


def test_koha_items_become_copies_with_their_status():
    record = make(
        BOOK_LEADER,
        ("245", "10", [("a", "Tenggelamnya Kapal Van der Wijck")]),
        koha_item(a="SPN", b="SPN", c="REF", p="39001", z="Tanda tangan penulis"),
        koha_item(a="KMN", p="39002", **{"0": "1"}),
        koha_item(a="KMN", p="39003", **{"1": "2"}),
        koha_item(a="SPN", p="39004", **{"4": "1", "1": "0"}),
        koha_item(a="SPN", p="39005", q="2026-12-01"),
        koha_item(a="SPN", p="39006", **{"0": "0", "1": "0", "4": "0"}),
    )
    assert marc.record_to_title(record)["holdings"] == [
        {"tag": "952", "copy": copy}
        for copy in (
            {
                "barcode": "39001",
                "branch": "SPN",
                "location": "REF",
                "note": "Tanda tangan penulis",
            },
            {"barcode": "39002", "branch": "KMN", "status": "withdrawn"},
            {"barcode": "39003", "branch": "KMN", "status": "lost"},
            {"barcode": "39004", "branch": "SPN", "status": "in_repair"},
            {"barcode": "39005", "branch": "SPN", "status": "on_loan"},
            {"barcode": "39006", "branch": "SPN"},
        )
    ]


def test_marc21_852_locations_become_copies_and_a_title_without_has_none():
    record = make(
        BOOK_LEADER,
        ("245", "10", [("a", "Siti Nurbaya")]),
        ("852", "  ", [("a", "ID-JKPNRI"), ("b", "SPN"), ("c", "ANAK"), ("p", "B-0042")]),
    )
    assert marc.record_to_title(record)["holdings"] == [
        {"tag": "852", "copy": {"barcode": "B-0042", "branch": "SPN", "location": "ANAK"}}
    ]
    bare = make(BOOK_LEADER, ("245", "10", [("a", "Siti Nurbaya")]))
    assert "holdings" not in marc.record_to_title(bare)


def test_holdings_without_a_barcode_or_branch_are_no_copies_and_say_why():
    record = make(
        BOOK_LEADER,
        ("245", "10", [("a", "Tambo Alam Kerinci")]),
        # another library's shelving: classification, cutter, shelving form of title
        ("852", "  ", [("a", "ID-JKPNRI"), ("h", "959.8"), ("i", "TAM t"), ("j", "R-12")]),
        ("852", "  ", [("b", "SPN"), ("c", "REF"), ("k", "Ref."), ("m", "jil. 2")]),
        koha_item(a="KMN", p="39010"),
        ("852", "  ", [("c", "ANAK"), ("p", "B-0043")]),
        koha_item(c="REF", p="39011"),
        koha_item(a="SPN", **{"o": "959.8 TAM"}),
    )
    assert marc.record_to_title(record)["holdings"] == [
        {"tag": "852", "reason": "no barcode ($p) or branch ($b)"},
        {"tag": "852", "reason": "no barcode ($p)"},
        {"tag": "952", "copy": {"barcode": "39010", "branch": "KMN"}},
        {"tag": "852", "reason": "no branch ($b)"},
        {"tag": "952", "reason": "no branch ($a)"},
        {"tag": "952", "reason": "no barcode ($p)"},
    ]


def test_blank_subfields_are_as_good_as_none_for_a_copy():
    record = make(BOOK_LEADER, ("852", "  ", [("b", "SPN"), ("p", "  ")]))
    assert marc.record_to_title(record)["holdings"] == [{"tag": "852", "reason": "no barcode ($p)"}]


def test_one_marcxml_record_for_oai_pmh_reads_back():
    data = marc.title_to_marcxml_record({**TITLES[0], "id": "T000042"})
    root = ET.fromstring(data)
    assert root.tag == f"{NS}record" and not data.startswith(b"<?xml")
    [(pos, title, err)] = marc.read_titles(data)
    assert (pos, err, title["record_key"]) == (1, None, "ID-SpPKSP:T000042")
    assert as_written(title) == TITLES[0]


def test_only_marc_records_count_inside_an_oai_pmh_response():
    oai = "http://www.openarchives.org/OAI/2.0/"
    data = (
        f'<OAI-PMH xmlns="{oai}"><ListRecords><record><header><identifier>oai:1</identifier>'
        "</header><metadata>"
    ).encode()
    data += marc.title_to_marcxml_record({**TITLES[1], "id": "T000007"})
    data += b"</metadata></record></ListRecords></OAI-PMH>"
    [(pos, title, err)] = marc.read_titles(data)
    assert (pos, title["record_key"], err) == (1, "ID-SpPKSP:T000007", None)


def test_marcxml_collection_is_utf8_with_declaration_and_namespace():
    data = marc.titles_to_marcxml([full("book", title="Encyclopaedie van Nederlandsch-Indië")])
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert "Indië".encode() in data  # UTF-8, not character references
    root = ET.fromstring(data)
    assert root.tag == f"{NS}collection" and [r.tag for r in root] == [f"{NS}record"]


def test_a_catalogue_title_writes_its_identity_dates_and_status():
    title = {
        **TITLES[0],
        "id": "T000042",
        "created_at": "2024-05-01T10:00:00+00:00",
        "updated_at": "2024-05-02T11:30:15+00:00",
        "version": 3,
        "withdrawn": False,
    }
    record = marc.title_to_record(title)
    assert (record["001"].data, record["003"].data) == ("T000042", marc.ORG_CODE)
    assert record["005"].data == "20240502113015.0"
    fixed = record["008"].data
    assert (len(fixed), fixed[:6], fixed[7:11], fixed[35:38]) == (40, "240501", "2005", "ind")
    assert record.leader[5:8] == "cam"  # corrected, language material, monograph
    assert record["100"].indicator1 == "0"  # "Andrea Hirata" is in direct order
    assert record["590"].get_subfields("a", "5") == ["ACQ000007", marc.ORG_CODE]
    assert marc.record_to_title(record)["record_key"] == "ID-SpPKSP:T000042"
    assert marc.title_to_record({**title, "withdrawn": True}).leader[5] == "d"


def three_records():
    return [
        marc.title_to_record(t).as_marc()
        for t in (TITLES[0], TITLES[3], full("book", title="Ronggeng Dukuh Paruk", year=1982))
    ]


def bad_length(raw):
    return f"{len(raw) + 7:05d}".encode() + raw[5:]


def short_directory(raw):
    cut = raw[:30] + raw[36:]  # six bytes of the first directory entry gone
    return f"{len(cut):05d}".encode() + cut[5:]


def wrong_offset(raw):
    return raw[:24] + raw[24:31] + b"99" + raw[33:]  # first entry's offset points past the end


@pytest.mark.parametrize("corrupt", [bad_length, short_directory, wrong_offset])
def test_a_corrupt_binary_record_is_reported_and_reading_goes_on(corrupt):
    first, middle, last = three_records()
    read = list(marc.read_titles(first + corrupt(middle) + last))
    assert [(pos, t and t["title"]) for pos, t, _ in read] == [
        (1, "Laskar Pelangi"),
        (2, None),
        (3, "Ronggeng Dukuh Paruk"),
    ]
    assert read[1][2] and read[0][2] is None and read[2][2] is None


def test_data_ending_inside_a_record_reports_its_position():
    first, middle, last = three_records()
    read = list(marc.read_records(first + b"\r\n" + middle + last[:-40]))
    assert [(pos, rec is not None) for pos, rec, _ in read] == [(1, True), (2, True), (3, False)]
    assert "Truncated" in read[2][2]


def collection(*records):
    root = ET.Element("collection", {"xmlns": MARC_XML_NS})
    root.extend(record_to_xml_node(r) for r in records)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def test_a_marcxml_record_without_245_is_an_error_at_its_position():
    untitled = Record(leader=BOOK_LEADER)
    untitled.add_field(Field("100", Indicators("0", " "), [Subfield("a", "Ahmad Tohari")]))
    data = collection(laskar_pelangi(), untitled, bumi_manusia_ebook())
    assert all(rec is not None for _, rec, _ in marc.read_records(data))  # well-formed
    read = list(marc.read_titles(data))
    assert [(pos, t and t["title"], err) for pos, t, err in read] == [
        (1, "Laskar pelangi", None),
        (2, None, "The record has no title (245 $a)."),
        (3, "Bumi manusia", None),
    ]


def test_a_marcxml_record_with_a_bad_leader_does_not_stop_the_others():
    data = collection(laskar_pelangi(), jurnal_pustakawan(), bumi_manusia_ebook())
    data = data.replace(b"<leader>00000cas", b"<leader>0000cas", 1)  # 23 characters
    read = list(marc.read_records(data))
    assert [(pos, rec is None) for pos, rec, _ in read] == [(1, False), (2, True), (3, False)]


def test_malformed_marcxml_keeps_the_records_before_the_break():
    data = collection(laskar_pelangi(), jurnal_pustakawan(), bumi_manusia_ebook())
    read = list(marc.read_records(data[: data.rindex(b"<datafield")]))
    assert [(pos, rec is None) for pos, rec, _ in read] == [(1, False), (2, False), (3, True)]
    assert "not well-formed" in read[2][2]


def test_marcxml_is_recognised_after_a_bom_and_blank_lines():
    data = b"\xef\xbb\xbf\n  " + collection(laskar_pelangi())
    [(pos, title, err)] = marc.read_titles(data)
    assert (pos, title["title"], err) == (1, "Laskar pelangi", None)


def test_record_key_is_stable_across_reads_and_differs_between_records():
    data = b"".join(r.as_marc() for r in (laskar_pelangi(), jurnal_pustakawan()))
    keys = [[t["record_key"] for _, t, _ in marc.read_titles(data)] for _ in range(2)]
    assert keys[0] == keys[1]
    assert keys[0][0] == "IDJKPN:0001234567" and keys[0][1].startswith("sha1:")
    assert len(set(keys[0])) == 2
    other = make(SERIAL_LEADER, ("245", "00", [("a", "Jurnal kepustakawanan.")]))
    assert marc.record_to_title(other)["record_key"] not in keys[0]


def indie_record():
    return make(
        "00000nam  2200000 i 4500",  # leader/09 blank: MARC-8
        ("245", "10", [("a", "Encyclopaedie van Nederlandsch-Indi\xe8e")]),
    )


def test_marc8_records_are_decoded():
    record = indie_record()
    record.to_unicode = False  # write the str as Latin-1 bytes: 0xE8 is MARC-8's diaeresis
    [(_, title, err)] = marc.read_titles(record.as_marc())
    assert err is None
    assert unicodedata.normalize("NFC", title["title"]) == "Encyclopaedie van Nederlandsch-Indië"


def test_utf8_records_whose_leader_says_marc8_are_decoded_as_utf8():
    raw = marc.title_to_record(full("book", title="Encyclopaedie van Nederlandsch-Indië")).as_marc()
    assert raw[9:10] == b"a"
    [(_, title, err)] = marc.read_titles(raw[:9] + b" " + raw[10:])
    assert (title["title"], err) == ("Encyclopaedie van Nederlandsch-Indië", None)
