"""What a record page tells machines (gateway/web/catalog/linked_data.py): schema.org
JSON-LD that no value can break out of, and COinS for books and serials."""

import json
from urllib.parse import parse_qs

from gateway.web.catalog.linked_data import coins, json_ld, language_name
from gateway.web.catalog.suggestions import suggestion_link

JOURNAL = {
    "id": "T000011",
    "material_type": "journal",
    "title": "Jurnal Pustakawan Indonesia",
    "subtitle": None,
    "authors": [],
    "subjects": ["Ilmu perpustakaan"],
    "publisher": "IPB </script><script>alert(1)</script>",
    "year": 2019,
    "language": "ind",
    "isbn": None,
    "issn": "1693-8658",
    "description": None,
    "access_url": None,
}


def test_a_serial_is_a_periodical_with_its_issn_and_nothing_closes_the_script():
    text = json_ld(JOURNAL, "https://pustaka.example/katalog/T000011")
    assert "</script>" not in text and "<" not in text
    data = json.loads(text)
    assert data["@type"] == "Periodical" and data["issn"] == "1693-8658"
    assert data["publisher"]["name"] == JOURNAL["publisher"]
    assert data["inLanguage"] == "id" and "isbn" not in data and "author" not in data


def test_coins_name_a_serial_by_its_journal_title():
    kev = parse_qs(coins(JOURNAL))
    assert kev["rft_val_fmt"] == ["info:ofi/fmt:kev:mtx:journal"]
    assert kev["rft.jtitle"] == ["Jurnal Pustakawan Indonesia"]
    assert kev["rft.issn"] == ["1693-8658"] and "rft.btitle" not in kev


def test_languages_are_named_in_the_readers_language():
    assert (language_name("ind", "id"), language_name("ind", "en")) == ("Indonesia", "Indonesian")
    assert language_name("min", "en") == "Minangkabau"
    assert language_name("qqq", "id") == "qqq"


def test_the_suggestion_link_carries_what_is_known():
    link = suggestion_link("en", title="Tambo & Kerinci", author="A. Hirata", isbn="9789793062792")
    assert link.startswith("/usulan/baru?")
    asked = parse_qs(link.split("?", 1)[1])
    assert asked == {
        "judul": ["Tambo & Kerinci"],
        "pengarang": ["A. Hirata"],
        "isbn": ["9789793062792"],
        "lang": ["en"],
    }
