"""The public catalogue over HTTP without a key, on the shared platform: the search and
record pages (branch names, facets, JSON-LD, COinS, no staff-only data), the
citations, SRU 1.2 (answers valid against the SRU schemas), the arrivals feeds, and
bad input answered with a page, or a diagnostic, in the reader's language."""

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import rispy
from lxml import etree

from chassis.pagination import encode_cursor
from gateway.web.shell.i18n import translator
from tests.platform import on_the_shared_platform

platform = on_the_shared_platform()
ATOM = "{http://www.w3.org/2005/Atom}"
SRU = {"srw": "http://www.loc.gov/zing/srw/", "diag": "http://www.loc.gov/zing/srw/diagnostic/"}
SCHEMA = etree.XMLSchema(etree.parse(str(Path("tests/fixtures/sru/srw-types.xsd").resolve())))
STAFF_NOTE = "catatan staf: sampul robek"


@pytest.fixture(scope="module")
def kerinci(platform):
    """A title of this module's own with a copy at KMN (whose note is for staff) and
    one at SPN on loan."""
    made = platform.post(
        "/v1/catalog/titles",
        json={
            "title": "Sejarah Danau Kerinci",
            "subtitle": "Dari Masa ke Masa",
            "authors": ["Idris Djakfar"],
            "subjects": ["Kerinci -- Sejarah"],
            "publisher": "Pustaka Kerinci",
            "year": 2003,
            "isbn": "978-602-8519-93-9",
            "call_number": "959.81 IDR",
            "description": "Riwayat danau dan orang-orang di sekitarnya.",
        },
    )
    assert made.status_code == 201, made.text
    title = made.json()
    for copy in (
        {"barcode": "KMN-KAT-1", "branch": "KMN", "location": "UMUM", "note": STAFF_NOTE},
        {"barcode": "SPN-KAT-1", "branch": "SPN", "status": "on_loan"},
    ):
        added = platform.post(f"/v1/catalog/titles/{title['id']}/items", json=copy)
        assert added.status_code == 201, added.text
    return title


def page(platform, path, status=200, **params):
    answer = platform.get(path, key="", params=params)
    assert answer.status_code == status, (path, params, answer.text[:500])
    assert answer.headers["Content-Type"].startswith("text/html"), answer.headers
    return answer.text


def branch_names(platform) -> dict:
    return {b["code"]: b["name"] for b in platform.get("/v1/catalog/branches").json()["items"]}


def sru(platform, **params) -> etree._Element:
    answer = platform.get("/sru", key="", params=params)
    assert answer.status_code == 200 and "xml" in answer.headers["Content-Type"]
    root = etree.fromstring(answer.content)
    SCHEMA.assertValid(root)
    return root


def test_the_search_page_finds_by_root_with_branch_names_and_facets(platform, kerinci):
    names = branch_names(platform)
    html = page(platform, "/katalog", q="danau kerinci sejarah")
    assert '<html lang="id">' in html and "Sejarah Danau Kerinci" in html
    assert f"Tersedia sekarang di:</strong> {names['KMN']}" in html
    assert ">KMN<" not in html  # a branch is named, never a bare code
    assert "judul ditemukan" in html
    # facets are links narrowing the search: the branch with an available copy
    branch_facet = re.search(r'id="facet-branch">(.*?)</ul>', html, re.S).group(1)
    assert names["KMN"] in branch_facet and names["SPN"] not in branch_facet
    link = re.search(r'href="([^"]*branch=KMN[^"]*)"', branch_facet).group(1)
    narrowed = page(platform, link.replace("&amp;", "&"))
    assert "Sejarah Danau Kerinci" in narrowed and "(hapus)" in narrowed
    english = page(platform, "/katalog", q="perpustakaan", lang="en")
    assert '<html lang="en">' in english and "Pengantar Ilmu Perpustakaan" in english
    assert "titles found" in english


def test_paging_follows_the_next_link_to_the_end(platform):
    for n in range(23):  # more than a page
        made = platform.post("/v1/catalog/titles", json={"title": f"Halamanuji {n}"})
        assert made.status_code == 201, made.text
    first = page(platform, "/katalog", q="halamanuji")
    seen = re.findall(r'<li class="result" id="(T\d+)">', first)
    total = int(re.search(r'id="total" role="status">(\d+)', first).group(1))
    html = first
    while (more := re.search(r'href="([^"]+)" id="next-page"', html)) is not None:
        html = page(platform, more.group(1).replace("&amp;", "&"))
        seen += re.findall(r'<li class="result" id="(T\d+)">', html)
        assert 'id="first-page"' in html
    assert len(seen) == len(set(seen)) == total == 23


def test_a_record_page_shows_copies_links_and_metadata_but_no_staff_data(platform, kerinci):
    names = branch_names(platform)
    html = page(platform, f"/katalog/{kerinci['id']}")
    copies = re.search(r'<ul class="copies" id="copies">(.*?)</ul>', html, re.S).group(1)
    assert names["KMN"] in copies and names["SPN"] in copies and "959.81 IDR" in copies
    assert "Tersedia" in copies and "Dipinjam" in copies and "Koleksi umum" in copies
    assert STAFF_NOTE not in html and "acquisition" not in html and "KMN-KAT-1" not in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html,
                                re.S).group(1))  # fmt: skip
    assert data["@type"] == "Book" and data["isbn"] == "9786028519939"
    assert data["author"] == [{"@type": "Person", "name": "Idris Djakfar"}]
    assert (data["datePublished"], data["inLanguage"]) == ("2003", "id")
    assert data["publisher"]["name"] == "Pustaka Kerinci"
    coins = parse_qs(re.search(r'class="Z3988" title="([^"]+)"', html).group(1).replace(
        "&amp;", "&"))  # fmt: skip
    assert coins["rft.btitle"] == ["Sejarah Danau Kerinci: Dari Masa ke Masa"]
    assert coins["rft.isbn"] == ["9786028519939"]
    suggest = re.search(r'href="(/usulan/baru\?[^"]+)" id="suggest"|id="suggest" href="'
                        r'(/usulan/baru\?[^"]+)"', html)  # fmt: skip
    asked = parse_qs(urlsplit((suggest.group(1) or suggest.group(2)).replace("&amp;", "&")).query)
    assert asked["judul"] == ["Sejarah Danau Kerinci"] and asked["isbn"] == ["9786028519939"]
    assert '<meta name="robots" content="index, follow">' in html


def test_an_e_resource_opens_in_one_tap(platform):
    ebook = platform.get("/v1/catalog/titles", params={"type": "ebook"}).json()["items"][0]
    html = page(platform, f"/katalog/{ebook['id']}", lang="en")
    assert f'id="access" href="{ebook["access_url"]}"' in html
    assert "Read online" in html


def test_a_record_exports_as_ris_and_bibtex(platform, kerinci):
    ris = platform.get(f"/katalog/{kerinci['id']}/ris", key="")
    assert ris.headers["Content-Type"].startswith("application/x-research-info-systems")
    (entry,) = rispy.loads(ris.text)
    assert entry["title"] == "Sejarah Danau Kerinci: Dari Masa ke Masa"
    assert entry["authors"] == ["Idris Djakfar"]
    bib = platform.get(f"/katalog/{kerinci['id']}/bibtex", key="")
    assert bib.headers["Content-Type"].startswith("application/x-bibtex")
    assert bib.text.startswith(f"@book{{djakfar2003{kerinci['id']},")
    assert STAFF_NOTE not in ris.text + bib.text


def test_sru_explains_and_searches_for_a_partner(platform, kerinci):
    explain = sru(platform)
    assert etree.QName(explain).localname == "explainResponse"
    found = sru(platform, operation="searchRetrieve", version="1.2",
                query='dc.title = "danau kerinci" and bath.isbn = 9786028519939',
                recordSchema="dc")  # fmt: skip
    assert found.findtext("srw:numberOfRecords", namespaces=SRU) == "1"
    assert f"/katalog/{kerinci['id']}".encode() in etree.tostring(found)
    marc = sru(platform, query="kerinci")
    assert STAFF_NOTE.encode() not in etree.tostring(marc)
    refused = sru(platform, query="kerinci ((")
    assert refused.findtext(".//diag:uri", namespaces=SRU).startswith("info:srw/diagnostic/1/")


def test_new_arrivals_are_feeds_per_branch_and_for_all(platform, kerinci):
    for path in ("/katalog/terbaru.atom", "/katalog/terbaru/KMN.atom"):
        answer = platform.get(path, key="")
        assert answer.headers["Content-Type"].startswith("application/atom+xml")
        feed = ET.fromstring(answer.content)
        links = [e.find(f"{ATOM}link").get("href") for e in feed.iter(f"{ATOM}entry")]
        assert any(f"/katalog/{kerinci['id']}" in link for link in links), path
    spn = ET.fromstring(platform.get("/katalog/terbaru/SPN.atom", key="").content)
    assert kerinci["title"] not in [e.findtext(f"{ATOM}title") for e in spn.iter(f"{ATOM}entry")]


@pytest.fixture(scope="module")
def broad_prefix(platform):
    """More words beginning qx than a prefix may match: five titles of 1,200 each."""
    words = [f"qx{i:05d}" for i in range(6_000)]
    for part in range(5):
        chunk = " ".join(words[part * 1200 : (part + 1) * 1200])
        made = platform.post("/v1/catalog/titles", json={"title": "Kata", "description": chunk})
        assert made.status_code == 201, made.text
    return "qx*"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_bad_input_gets_a_page_in_the_readers_language_and_changes_nothing(
    platform, kerinci, broad_prefix, lang
):
    _ = translator(lang)
    before = platform.get("/v1/catalog/titles", params={"limit": 1}).json()["total"]
    past_the_end = encode_cursor({"seq": 1})
    too_long = _(
        "Your search is %(length)s characters long. Use at most %(most)s: a few "
        "words of the title, the author or the subject.",
        length=2000,
        most=200,
    )
    unknown_filter = _("One of the filters is not one the catalogue knows. Remove it, or "
                       "start a new search.")  # fmt: skip
    cases = [
        ("/katalog", {"q": "   "}, 200, _("Title, author, subject or ISBN")),
        ("/katalog", {"q": "kata" * 500}, 400, too_long),
        (
            "/katalog",
            {"q": broad_prefix},
            400,
            _(
                "A word ending in * matches too many words. "
                "Type more letters before the *, like sejara* "
                "instead of se*."
            ),
        ),  # fmt: skip
        (
            "/katalog",
            {"q": "!!!"},
            400,
            _(
                "Your search has no words to look for. Type letters "
                "or digits, like a word of the title."
            ),
        ),  # fmt: skip
        ("/katalog", {"q": "kerinci", "cursor": past_the_end}, 400, _("No more results")),
        ("/katalog", {"q": "kerinci", "cursor": "bukan-kursor"}, 400, _("No more results")),
        ("/katalog", {"q": "kerinci", "type": "scroll"}, 400, unknown_filter),
        ("/katalog", {"q": "kerinci", "decade": "19x0"}, 400, unknown_filter),
        ("/katalog/T999999", {}, 404, _("Title not found")),
        ("/katalog/bukan-judul", {}, 404, _("Title not found")),
        ("/katalog/" + "T" * 2000, {}, 404, _("Title not found")),
        (f"/katalog/{kerinci['id']}/pdf", {}, 404, _("Title not found")),
        ("/katalog/T999999/ris", {}, 404, _("Title not found")),
        ("/katalog/terbaru/XYZ.atom", {}, 404, _("Branch not found")),
        ("/katalog/terbaru/kmn%20x.atom", {}, 404, _("Branch not found")),
    ]
    for path, params, status, text in cases:
        html = page(platform, path, status, **params, lang=lang)
        assert f'<html lang="{lang}">' in html and not html.lstrip().startswith("{"), path
        assert text in html, (path, params, text)
        assert 'href="/katalog?' in html or 'action="/katalog"' in html, path  # what next
    no_result = page(platform, "/katalog", q="zzyzx kerinci", lang=lang)
    assert _("Suggest this title") in no_result
    assert 'href="/usulan/baru?judul=zzyzx+kerinci&amp;lang=' in no_result
    assert platform.get("/v1/catalog/titles", params={"limit": 1}).json()["total"] == before
