"""What a record page tells machines: schema.org JSON-LD for search engines, COinS
(an OpenURL ContextObject in a span) for Zotero and other reference managers, and
the languages of the catalogue (ISO 639-2 codes) as people and machines name
them. From the public title (the catalogue's `public_title`)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from babel import Locale
from babel.core import get_global
from markupsafe import Markup

SCHEMA_TYPES = {
    "book": "Book",
    "ebook": "Book",
    "magazine": "Periodical",
    "journal": "Periodical",
    "database": "Dataset",
    "audiovisual": "CreativeWork",
}
SERIALS = ("magazine", "journal")


def language_tag(code: str) -> str:
    """The BCP 47 tag of an ISO 639-2 code: ind -> id; a code without a two-letter
    one stays as it is (min, Minangkabau)."""
    return get_global("language_aliases").get(code, code)


def language_name(code: str, lang: str) -> str:
    """A language's name in the reader's language (Babel's CLDR data), else its code."""
    return Locale.parse(lang).languages.get(language_tag(code), code)


def json_ld(title: dict, url: str) -> Markup:
    """A <script type="application/ld+json"> body: data, never run, so the page's
    policy (no script) stands; "<" is escaped so no value can close the element."""
    kind = title["material_type"]
    data = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES[kind],
        "@id": url,
        "url": url,
        "name": title["title"],
        "alternativeHeadline": title.get("subtitle"),
        "author": [{"@type": "Person", "name": a} for a in title.get("authors") or ()],
        "publisher": {"@type": "Organization", "name": title["publisher"]}
        if title.get("publisher")
        else None,
        "datePublished": str(title["year"]) if title.get("year") else None,
        "inLanguage": language_tag(title["language"]),
        "isbn": title.get("isbn"),
        "issn": title.get("issn"),
        "about": list(title.get("subjects") or ()) or None,
        "description": title.get("description"),
        "bookFormat": "https://schema.org/EBook" if kind == "ebook" else None,
        "sameAs": title.get("access_url"),
    }
    text = json.dumps({k: v for k, v in data.items() if v}, ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def coins(title: dict) -> str:
    """The title attribute of a COinS span (Z39.88-2004, KEV): books and serials."""
    serial = title["material_type"] in SERIALS
    pairs = [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", f"info:ofi/fmt:kev:mtx:{'journal' if serial else 'book'}"),
        ("rft.genre", "journal" if serial else "book"),
        ("rft.jtitle" if serial else "rft.btitle", _full_title(title)),
        *(("rft.au", a) for a in title.get("authors") or ()),
        ("rft.pub", title.get("publisher")),
        ("rft.date", str(title["year"]) if title.get("year") else None),
        ("rft.isbn", title.get("isbn")),
        ("rft.issn", title.get("issn")),
        ("rft.language", title.get("language")),
    ]
    return urlencode([(k, v) for k, v in pairs if v])


def _full_title(title: dict) -> str:
    subtitle = title.get("subtitle")
    return f"{title['title']}: {subtitle}" if subtitle else title["title"]
