"""The OAI-PMH provider alone, over an in-memory repository that keeps the harvest
contract (window by datestamp, set filter, (datestamp, id) order, opaque cursor)."""

import base64
import calendar
import json
import re
import time
import xml.etree.ElementTree as ET

import pytest
from werkzeug.datastructures import MultiDict

from chassis.errors import field_error
from services.catalog import dublin_core
from services.catalog import oai_pmh as oai
from services.catalog.oai_repository import protocol_error

NS = {
    "o": "http://www.openarchives.org/OAI/2.0/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "marc": "http://www.loc.gov/MARC21/slim",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "id": "http://www.openarchives.org/OAI/2.0/oai-identifier",
}
BASE_URL = "https://pustaka.example/oai"
NOW = 1_717_000_000.0  # 2024-05-29T16:26:40Z
PREFIX = "oai:pustaka.sungaipenuh:"


def at(stamp: str) -> float:
    return float(calendar.timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")))


def title(id_, name, **fields):
    base = {
        "id": id_,
        "material_type": "book",
        "title": name,
        "subtitle": None,
        "authors": [],
        "subjects": [],
        "publisher": None,
        "year": None,
        "language": "ind",
        "isbn": None,
        "issn": None,
        "call_number": None,
        "description": None,
        "access_url": None,
        "acquisition_ref": None,
        "availability": [],
        "withdrawn": False,
        "version": 1,
    }
    return {**base, **fields}


def record(id_, datestamp, sets, data=None):
    dc = None if data is None else dublin_core.elements(data)
    return {
        "id": id_,
        "datestamp": datestamp,
        "deleted": data is None,
        "sets": sets,
        "title": data,
        "dc": dc,
    }


def catalogue():
    return [
        record(
            "T000001",
            at("2024-01-10T08:00:00Z"),
            ["branch:KMN", "branch:SPN", "type:book"],
            title(
                "T000001",
                "Laskar Pelangi",
                authors=["Andrea Hirata"],
                subjects=["Pendidikan", "Belitung"],
                publisher="Bentang Pustaka",
                year=2005,
                isbn="9789793062792",
                description="Sepuluh anak Belitung dan sekolah Muhammadiyah mereka.",
            ),
        ),
        record(
            "T000002",
            at("2024-01-15T09:30:00Z"),
            ["branch:SPN", "type:book"],
            title(
                "T000002",
                "Bumi Manusia",
                subtitle="Tetralogi Buru 1",
                authors=["Pramoedya Ananta Toer"],
                publisher="Hasta Mitra",
                year=1980,
            ),
        ),
        record(
            "T000003",
            at("2024-02-01T00:00:00Z"),
            ["branch:KMN", "type:magazine"],
            title("T000003", "Tempo", material_type="magazine", issn="0126-4273"),
        ),
        record(  # the last half second of 1 February: only an end-of-unit until keeps it
            "T000004",
            at("2024-02-01T23:59:59Z") + 0.5,
            ["branch:KMN", "type:book"],
            title("T000004", "Ronggeng Dukuh Paruk", authors=["Ahmad Tohari"], year=1982),
        ),
        record("T000005", at("2024-02-02T10:00:00Z"), ["branch:SPN", "type:book"]),  # deleted
        record(
            "T000006",
            at("2024-02-03T12:00:00Z"),
            ["type:ebook"],
            title(
                "T000006",
                "Sejarah Kerinci",
                material_type="ebook",
                access_url="https://pustaka.example/ebook/sejarah-kerinci",
            ),
        ),
        record(  # the same datestamp as T000006: paging must order by id within it
            "T000007",
            at("2024-02-03T12:00:00Z"),
            ["branch:SPN", "type:book"],
            title("T000007", "Negeri 5 Menara", authors=["Ahmad Fuadi"], year=2009),
        ),
        record(
            "T000008",
            at("2024-03-01T07:00:00Z"),
            ["branch:KMN", "type:book"],
            title("T000008", "Cantik Itu Luka", authors=["Eka Kurniawan"], year=2002),
        ),
    ]


SETS = [
    ("branch:KMN", "Perpustakaan Cabang Kumun"),
    ("branch:SPN", "Perpustakaan Kota Sungai Penuh"),
    ("type:book", "Books"),
    ("type:magazine", "Magazines"),
    ("type:ebook", "E-books"),
]


class FakeRepository:
    def __init__(self, records=None, sets=SETS):
        self.records = {r["id"]: r for r in (catalogue() if records is None else records)}
        self._sets = sets
        self.harvests = []

    def earliest_datestamp(self):
        return min(r["datestamp"] for r in self.records.values())

    def sets(self):
        return list(self._sets)

    def harvest(self, since, until, set, after, limit, marc=False):
        self.harvests.append({"since": since, "until": until, "set": set, "after": after})
        window = sorted(
            (
                r
                for r in self.records.values()
                if (since is None or r["datestamp"] >= since)
                and (until is None or r["datestamp"] <= until)
                and (set is None or set in r["sets"])
            ),
            key=lambda r: (r["datestamp"], r["id"]),
        )
        if after is not None:
            stamp, id_ = after.split("|")
            window_after = [r for r in window if (r["datestamp"], r["id"]) > (float(stamp), id_)]
        else:
            window_after = window
        page = window_after[:limit]
        more = len(window_after) > limit
        cursor = f"{page[-1]['datestamp']!r}|{page[-1]['id']}" if more else None
        return {"records": page, "next": cursor, "total": len(window)}

    def get(self, id, marc=False):
        return self.records.get(id)

    def marcxml(self, data):
        return (
            '<record xmlns="http://www.loc.gov/MARC21/slim">'
            f'<controlfield tag="001">{data["id"]}</controlfield>'
            '<datafield tag="245" ind1="1" ind2="0">'
            f'<subfield code="a">{data["title"]}</subfield></datafield></record>'
        ).encode()


def ask(repo, args, **options):
    """The response root, after checking the envelope every response shares."""
    as_lists = {k: v if isinstance(v, list) else [v] for k, v in args.items()}
    status, body = oai.handle(as_lists, repo, BASE_URL, now=lambda: NOW, **options)
    assert status == 200
    assert body.startswith(b"<?xml")
    root = ET.fromstring(body)
    assert root.tag == "{http://www.openarchives.org/OAI/2.0/}OAI-PMH"
    assert root.findtext("o:responseDate", namespaces=NS) == "2024-05-29T16:26:40Z"
    assert root.findtext("o:request", namespaces=NS) == BASE_URL
    return root


def errors(root):
    return [e.get("code") for e in root.findall("o:error", NS)]


def ids(elements):
    return [e.findtext(".//o:header/o:identifier", namespaces=NS) for e in elements]


def header_ids(root, verb):
    headers = root.findall(f"o:{verb}//o:header", NS)
    return [h.findtext("o:identifier", namespaces=NS).removeprefix(PREFIX) for h in headers]


def dc(root):
    """{element: [values]} of the one oai_dc record in the response."""
    found = root.findall(".//oai_dc:dc", NS)
    assert len(found) == 1
    values = {}
    for child in found[0]:
        values.setdefault(child.tag.split("}")[1], []).append(child.text)
    return values


@pytest.fixture
def repo():
    return FakeRepository()


# -- Identify, ListMetadataFormats, ListSets ---------------------------------------------


def test_identify_describes_the_repository(repo):
    root = ask(repo, {"verb": "Identify"}, admin_email="oai@pustaka.example")
    identify = root.find("o:Identify", NS)

    def text(name):
        return identify.findtext(f"o:{name}", namespaces=NS)

    assert text("repositoryName") == "Perpustakaan Kota Sungai Penuh"
    assert text("baseURL") == BASE_URL
    assert text("protocolVersion") == "2.0"
    assert text("adminEmail") == "oai@pustaka.example"
    assert text("earliestDatestamp") == "2024-01-10T08:00:00Z"
    assert text("deletedRecord") == "persistent"
    assert text("granularity") == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.findtext(".//id:repositoryIdentifier", namespaces=NS) == "pustaka.sungaipenuh"
    assert root.find("o:request", NS).attrib == {"verb": "Identify"}


def test_list_metadata_formats_names_both_with_schema_and_namespace(repo):
    root = ask(repo, {"verb": "ListMetadataFormats"})
    formats = {
        f.findtext("o:metadataPrefix", namespaces=NS): (
            f.findtext("o:schema", namespaces=NS),
            f.findtext("o:metadataNamespace", namespaces=NS),
        )
        for f in root.findall("o:ListMetadataFormats/o:metadataFormat", NS)
    }
    assert formats == {
        "oai_dc": (
            "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
            "http://www.openarchives.org/OAI/2.0/oai_dc/",
        ),
        "marc21": (
            "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd",
            "http://www.loc.gov/MARC21/slim",
        ),
    }


def test_list_metadata_formats_for_an_item(repo):
    root = ask(repo, {"verb": "ListMetadataFormats", "identifier": PREFIX + "T000001"})
    assert len(root.findall("o:ListMetadataFormats/o:metadataFormat", NS)) == 2
    assert root.find("o:request", NS).get("identifier") == PREFIX + "T000001"


@pytest.mark.parametrize("identifier", [PREFIX + "T999999", "oai:elsewhere.example:T000001", ""])
def test_list_metadata_formats_for_an_unknown_item(repo, identifier):
    root = ask(repo, {"verb": "ListMetadataFormats", "identifier": identifier})
    assert errors(root) == ["idDoesNotExist"]
    assert root.find("o:ListMetadataFormats", NS) is None


def test_list_sets_gives_every_set_with_its_name(repo):
    root = ask(repo, {"verb": "ListSets"})
    sets = [
        (s.findtext("o:setSpec", namespaces=NS), s.findtext("o:setName", namespaces=NS))
        for s in root.findall("o:ListSets/o:set", NS)
    ]
    assert sets == SETS


def test_list_sets_without_sets_is_no_set_hierarchy():
    root = ask(FakeRepository(sets=[]), {"verb": "ListSets"})
    assert errors(root) == ["noSetHierarchy"]


# -- records ------------------------------------------------------------------------


def test_list_identifiers_gives_headers_only(repo):
    root = ask(repo, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    headers = root.findall("o:ListIdentifiers/o:header", NS)
    assert len(headers) == 8
    assert root.find(".//o:metadata", NS) is None
    first = headers[0]
    assert first.findtext("o:identifier", namespaces=NS) == PREFIX + "T000001"
    assert first.findtext("o:datestamp", namespaces=NS) == "2024-01-10T08:00:00Z"
    sets = [s.text for s in first.findall("o:setSpec", NS)]
    assert sets == ["branch:KMN", "branch:SPN", "type:book"]
    assert first.get("status") is None
    # truncated to the second, never rounded up
    assert headers[3].findtext("o:datestamp", namespaces=NS) == "2024-02-01T23:59:59Z"
    assert root.find(".//o:resumptionToken", NS) is None  # one page: no token at all


def test_list_records_in_oai_dc_maps_the_title(repo):
    root = ask(repo, {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "branch:KMN"})
    records = root.findall("o:ListRecords/o:record", NS)
    assert header_ids(root, "ListRecords") == ["T000001", "T000003", "T000004", "T000008"]
    laskar = records[0].find("o:metadata/oai_dc:dc", NS)
    values = {}
    for child in laskar:
        values.setdefault(child.tag.split("}")[1], []).append(child.text)
    assert values == {
        "title": ["Laskar Pelangi"],
        "creator": ["Andrea Hirata"],
        "subject": ["Pendidikan", "Belitung"],
        "description": ["Sepuluh anak Belitung dan sekolah Muhammadiyah mereka."],
        "publisher": ["Bentang Pustaka"],
        "date": ["2005"],
        "type": ["book"],
        "identifier": [
            "urn:isbn:9789793062792",
            "https://pustaka.example/v1/catalog/titles/T000001",
        ],
        "language": ["ind"],
    }
    location = laskar.get(f"{{{NS['xsi']}}}schemaLocation")
    assert location.split() == [NS["oai_dc"], "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"]


def test_oai_dc_subtitle_issn_and_access_url(repo):
    def get(id_):
        args = {"verb": "GetRecord", "identifier": PREFIX + id_, "metadataPrefix": "oai_dc"}
        return dc(ask(repo, args))

    assert get("T000002")["title"] == ["Bumi Manusia: Tetralogi Buru 1"]
    tempo = get("T000003")
    assert tempo["identifier"][0] == "urn:issn:0126-4273"
    assert tempo["type"] == ["magazine"]
    assert "creator" not in tempo and "date" not in tempo  # absent fields give no element
    ebook = get("T000006")
    assert "https://pustaka.example/ebook/sejarah-kerinci" in ebook["identifier"]


def test_titles_url_can_be_given(repo):
    args = {"verb": "GetRecord", "identifier": PREFIX + "T000001", "metadataPrefix": "oai_dc"}
    root = ask(repo, args, titles_url="https://api.pustaka.example/gw/titles/")
    assert dc(root)["identifier"][-1] == "https://api.pustaka.example/gw/titles/T000001"


def test_list_records_in_marc21_embeds_the_marc_record(repo):
    root = ask(repo, {"verb": "ListRecords", "metadataPrefix": "marc21", "set": "type:book"})
    records = root.findall("o:ListRecords/o:record", NS)
    assert ids(records) == [PREFIX + i for i in ("T000001", "T000002", "T000004", "T000005")] + [
        PREFIX + "T000007",
        PREFIX + "T000008",
    ]
    marc = records[0].find("o:metadata/marc:record", NS)
    assert marc.findtext("marc:controlfield[@tag='001']", namespaces=NS) == "T000001"
    assert marc.findtext(".//marc:subfield[@code='a']", namespaces=NS) == "Laskar Pelangi"
    assert records[3].find("o:metadata", NS) is None  # T000005 is deleted


def test_get_record_in_both_formats(repo):
    for prefix, path in (
        ("oai_dc", "oai_dc:dc/dc:title"),
        ("marc21", "marc:record//marc:subfield"),
    ):
        args = {"verb": "GetRecord", "identifier": PREFIX + "T000007", "metadataPrefix": prefix}
        root = ask(repo, args)
        got = root.find("o:GetRecord/o:record", NS)
        assert ids([got]) == [PREFIX + "T000007"]
        assert got.findtext(f"o:metadata/{path}", namespaces=NS) == "Negeri 5 Menara"
        assert root.find("o:request", NS).attrib == {"verb": "GetRecord", **args}


def test_a_deleted_record_is_a_deleted_header_without_metadata(repo):
    args = {"verb": "GetRecord", "identifier": PREFIX + "T000005", "metadataPrefix": "oai_dc"}
    got = ask(repo, args).find("o:GetRecord/o:record", NS)
    assert got.find("o:header", NS).get("status") == "deleted"
    assert got.find("o:metadata", NS) is None
    listed = ask(repo, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    statuses = {
        h.findtext("o:identifier", namespaces=NS): h.get("status")
        for h in listed.findall("o:ListIdentifiers/o:header", NS)
    }
    assert [i for i, status in statuses.items() if status == "deleted"] == [PREFIX + "T000005"]


def test_deleted_means_no_metadata_even_if_the_title_came_along():
    withdrawn = record("T000010", at("2024-01-01T00:00:00Z"), ["type:book"])
    withdrawn["title"] = title("T000010", "Ayat-Ayat Cinta", withdrawn=True)
    root = ask(FakeRepository([withdrawn]), {"verb": "ListRecords", "metadataPrefix": "marc21"})
    got = root.find("o:ListRecords/o:record", NS)
    assert got.find("o:header", NS).get("status") == "deleted"
    assert got.find("o:metadata", NS) is None


def test_control_characters_in_catalogue_text_do_not_break_the_xml():
    data = title("T000009", "Tenggelamnya\x0bKapal\x0c Van der Wijck")
    repo = FakeRepository([record("T000009", at("2024-01-01T00:00:00Z"), [], data)])
    args = {"verb": "GetRecord", "identifier": PREFIX + "T000009", "metadataPrefix": "oai_dc"}
    assert dc(ask(repo, args))["title"] == ["TenggelamnyaKapal Van der Wijck"]


def test_a_multidict_is_taken_as_arguments(repo):
    args = MultiDict(
        [("verb", "ListIdentifiers"), ("metadataPrefix", "oai_dc"), ("set", "type:ebook")]
    )
    status, body = oai.handle(args, repo, BASE_URL)
    assert status == 200
    assert header_ids(ET.fromstring(body), "ListIdentifiers") == ["T000006"]
    repeated = MultiDict([("verb", "Identify"), ("verb", "Identify")])
    assert errors(ET.fromstring(oai.handle(repeated, repo, BASE_URL)[1])) == ["badVerb"]


# -- selective harvesting --------------------------------------------------------------


@pytest.mark.parametrize(
    "window, expected",
    [
        (
            {"from": "2024-02-01"},
            ["T000003", "T000004", "T000005", "T000006", "T000007", "T000008"],
        ),
        ({"until": "2024-01-15"}, ["T000001", "T000002"]),
        # a day's until is its end: the record at 23:59:59.5 is in
        ({"from": "2024-02-01", "until": "2024-02-01"}, ["T000003", "T000004"]),
        # a second's until is that whole second, as datestamps are shown truncated
        ({"from": "2024-02-01T00:00:00Z", "until": "2024-02-01T23:59:59Z"}, ["T000003", "T000004"]),
        ({"from": "2024-02-01T00:00:00Z", "until": "2024-02-01T23:59:58Z"}, ["T000003"]),
        (
            {"from": "2024-02-02T10:00:00Z", "until": "2024-02-03T12:00:00Z"},
            ["T000005", "T000006", "T000007"],
        ),
        ({"from": "2024-02-01", "set": "branch:SPN"}, ["T000005", "T000007"]),
    ],
)
def test_from_until_and_set_select_records(repo, window, expected):
    root = ask(repo, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", **window})
    assert header_ids(root, "ListIdentifiers") == expected
    assert root.find("o:request", NS).attrib == {
        "verb": "ListIdentifiers",
        "metadataPrefix": "oai_dc",
        **window,
    }


def test_incremental_harvest_returns_only_what_changed_since(repo):
    first = ask(repo, {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    assert len(first.findall("o:ListRecords/o:record", NS)) == 8
    last_harvest = "2024-05-29T16:26:40Z"  # the responseDate a harvester keeps

    repo.records["T000001"] = record(
        "T000001",
        NOW + 3600,
        ["branch:KMN", "type:book"],
        title("T000001", "Laskar Pelangi", subtitle="Edisi Revisi", year=2005),
    )
    repo.records["T000007"] = record("T000007", NOW + 7200, ["branch:SPN", "type:book"])

    again = ask(repo, {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": last_harvest})
    records = again.findall("o:ListRecords/o:record", NS)
    assert ids(records) == [PREFIX + "T000001", PREFIX + "T000007"]
    assert records[0].findtext(".//dc:title", namespaces=NS) == "Laskar Pelangi: Edisi Revisi"
    assert records[1].find("o:header", NS).get("status") == "deleted"
    assert repo.harvests[-1]["since"] == NOW


# -- resumption --------------------------------------------------------------------------


@pytest.mark.parametrize("verb", ["ListIdentifiers", "ListRecords"])
def test_a_full_harvest_follows_tokens_to_the_end(repo, verb):
    seen, cursors, sizes, tokens = [], [], [], []
    args = {"verb": verb, "metadataPrefix": "oai_dc"}
    while True:
        root = ask(repo, args, page_size=3)
        assert errors(root) == []
        seen += header_ids(root, verb)
        token = root.find(f"o:{verb}/o:resumptionToken", NS)
        cursors.append(token.get("cursor"))
        sizes.append(token.get("completeListSize"))
        if not token.text:
            break
        tokens.append(token.text)
        args = {"verb": verb, "resumptionToken": token.text}
        assert len(cursors) < 10, "the harvest does not end"

    assert seen == [f"T00000{n}" for n in range(1, 9)]  # every record once, in order
    assert cursors == ["0", "3", "6"]
    assert sizes == ["8", "8", "8"]
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", t) for t in tokens)  # URL-safe as it is


def test_resumption_keeps_the_window_and_set(repo):
    args = {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": "2024-01-15"}
    args.update({"until": "2024-02-29", "set": "type:book"})
    first = ask(repo, args, page_size=2)
    assert header_ids(first, "ListIdentifiers") == ["T000002", "T000004"]
    token = first.find(".//o:resumptionToken", NS)
    assert token.get("completeListSize") == "4"
    second = ask(repo, {"verb": "ListIdentifiers", "resumptionToken": token.text}, page_size=2)
    assert header_ids(second, "ListIdentifiers") == ["T000005", "T000007"]
    assert second.find(".//o:resumptionToken", NS).text is None
    assert repo.harvests[-1]["set"] == "type:book"
    assert repo.harvests[-1]["since"] == at("2024-01-15T00:00:00Z")
    assert at("2024-02-29T23:59:59Z") < repo.harvests[-1]["until"] < at("2024-03-01T00:00:00Z")
    assert second.find("o:request", NS).attrib == {
        "verb": "ListIdentifiers",
        "resumptionToken": token.text,
    }


def test_token_of_one_verb_is_refused_by_another(repo):
    root = ask(repo, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}, page_size=2)
    token = root.find(".//o:resumptionToken", NS).text
    refused = ask(repo, {"verb": "ListRecords", "resumptionToken": token}, page_size=2)
    assert errors(refused) == ["badResumptionToken"]


# -- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [{}, {"verb": "ListThings"}, {"verb": ["Identify", "Identify"]}, {"verb": "identify"}],
)
def test_bad_verb(repo, args):
    root = ask(repo, args)
    assert errors(root) == ["badVerb"]
    assert root.find("o:request", NS).attrib == {}  # not echoed after badVerb


@pytest.mark.parametrize(
    "args",
    [
        {"verb": "Identify", "set": "type:book"},  # illegal for the verb
        {"verb": "ListRecords"},  # metadataPrefix missing
        {"verb": "ListIdentifiers", "metadataPrefix": ["oai_dc", "marc21"]},  # repeated
        {"verb": "GetRecord", "metadataPrefix": "oai_dc"},  # identifier missing
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "abc"},
        {"verb": "ListSets", "set": "type:book"},
        {
            "verb": "ListRecords",
            "metadataPrefix": "oai_dc",
            "from": "2024-02-01",
            "until": "2024-02-02T00:00:00Z",
        },
        {
            "verb": "ListRecords",
            "metadataPrefix": "oai_dc",
            "from": "2024-03-01",
            "until": "2024-02-01",
        },
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "01/02/2024"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "2024-02-30"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-02-01T00:00:00"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "branch KMN"},
    ],
)
def test_bad_argument(repo, args):
    root = ask(repo, args)
    assert errors(root) == ["badArgument"]
    assert root.find("o:request", NS).attrib == {}  # not echoed after badArgument
    assert repo.harvests == []  # refused before asking the catalogue


@pytest.mark.parametrize(
    "args",
    [
        {"verb": "ListRecords", "metadataPrefix": "mods"},
        {"verb": "ListIdentifiers", "metadataPrefix": "MARC21"},
        {"verb": "GetRecord", "identifier": PREFIX + "T000001", "metadataPrefix": "oai_ddc"},
    ],
)
def test_cannot_disseminate_format(repo, args):
    root = ask(repo, args)
    assert errors(root) == ["cannotDisseminateFormat"]
    assert root.find("o:request", NS).attrib == args  # echoed: the request was well formed


@pytest.mark.parametrize(
    "identifier",
    [PREFIX + "T999999", "T000001", "oai:pustaka.sungaipenuh:", "urn:isbn:9789793062792"],
)
def test_get_record_of_an_unknown_identifier(repo, identifier):
    root = ask(repo, {"verb": "GetRecord", "identifier": identifier, "metadataPrefix": "oai_dc"})
    assert errors(root) == ["idDoesNotExist"]
    assert root.find("o:request", NS).get("identifier") == identifier


@pytest.mark.parametrize(
    "window",
    [{"from": "2030-01-01"}, {"set": "branch:XYZ"}, {"until": "2023-12-31"}],
)
def test_no_records_match(repo, window):
    root = ask(repo, {"verb": "ListRecords", "metadataPrefix": "oai_dc", **window})
    assert errors(root) == ["noRecordsMatch"]
    assert root.find("o:ListRecords", NS) is None


def _token(data):
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


GOOD = {
    "verb": "ListRecords",
    "metadataPrefix": "oai_dc",
    "from": None,
    "until": None,
    "set": None,
    "cursor": 3,
    "next": f"{at('2024-02-01T00:00:00Z')!r}|T000003",
}


@pytest.mark.parametrize(
    "token",
    [
        "not a token!",
        "bm90IGpzb24",  # "not json"
        _token(["a", "list"]),
        _token({**GOOD, "metadataPrefix": "mods"}),
        _token({**GOOD, "cursor": -1}),
        _token({**GOOD, "cursor": "3"}),
        _token({**GOOD, "cursor": 2**63}),  # more records than there are ids
        _token({**GOOD, "from": "yesterday"}),
        _token({k: v for k, v in GOOD.items() if k != "next"}),
        "é",
    ],
)
def test_bad_resumption_token(repo, token):
    root = ask(repo, {"verb": "ListRecords", "resumptionToken": token})
    assert errors(root) == ["badResumptionToken"]
    assert root.find("o:request", NS).get("resumptionToken") == token
    assert repo.harvests == []


def test_a_sound_forged_token_is_accepted(repo):
    # the control for test_bad_resumption_token: GOOD itself passes
    root = ask(repo, {"verb": "ListRecords", "resumptionToken": _token(GOOD)})
    assert errors(root) == []
    assert header_ids(root, "ListRecords") == [
        "T000004",
        "T000005",
        "T000006",
        "T000007",
        "T000008",
    ]
    assert repo.harvests[-1]["after"] == GOOD["next"]


def test_list_sets_never_resumes(repo):
    root = ask(repo, {"verb": "ListSets", "resumptionToken": _token(GOOD)})
    assert errors(root) == ["badResumptionToken"]


@pytest.mark.parametrize(
    "refused, code",
    [("set", "noRecordsMatch"), ("cursor", "badResumptionToken"), ("limit", "badArgument")],
)
def test_what_the_catalogue_refuses_is_the_protocols_error(refused, code):
    assert protocol_error(field_error(refused, "refused by the catalogue")).code == code
