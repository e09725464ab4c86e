"""A title as a citation for reference managers (Zotero, Mendeley, EndNote, LaTeX):
RIS through rispy, and BibTeX, whose few lines are written here (no BibTeX writer
on PyPI is both stable and small). Both from the public view of a title: nothing a
reader downloads holds staff-only fields."""

from __future__ import annotations

import re
import unicodedata

import rispy
from sqlalchemy.orm import Session

from chassis.errors import field_error

from . import public
from .contract import CITATION_FORMATS

RIS_TYPES = {
    "book": "BOOK",
    "magazine": "MGZN",
    "journal": "JOUR",
    "ebook": "EBOOK",
    "database": "DBASE",
    "audiovisual": "VIDEO",
}
BIBTEX_TYPES = {"book": "book", "ebook": "book", "journal": "periodical", "magazine": "periodical"}


class _Ris(rispy.RisWriter):
    def set_header(self, count):  # rispy numbers references ("1."); RIS files do not
        return ""


def full_title(title: dict) -> str:
    subtitle = title.get("subtitle")
    return f"{title['title']}: {subtitle}" if subtitle else title["title"]


def ris(title: dict) -> str:
    fields = {
        "type_of_reference": RIS_TYPES[title["material_type"]],
        "id": title["id"],
        "title": full_title(title),
        "authors": title.get("authors") or None,
        "year": str(title["year"]) if title.get("year") else None,
        "publisher": title.get("publisher"),
        "issn": title.get("isbn") or title.get("issn"),  # SN: ISBN or ISSN
        "keywords": title.get("subjects") or None,
        "abstract": title.get("description"),
        "language": title.get("language"),
        "call_number": title.get("call_number"),
        "urls": [title["access_url"]] if title.get("access_url") else None,
    }
    text = rispy.dumps([{k: v for k, v in fields.items() if v}], implementation=_Ris)
    return text.lstrip("\n")


# What BibTeX reads as markup, written so it reads as the character.
_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL = re.compile("|".join(re.escape(c) for c in _BIBTEX_SPECIAL))


def _braced(value: str) -> str:
    # Braces keep the capitals of titles and names as they are.
    return "{" + _SPECIAL.sub(lambda m: _BIBTEX_SPECIAL[m.group()], value) + "}"


def _key(title: dict) -> str:
    """author-year-id, in ASCII letters and digits: what LaTeX users cite it by."""
    first = (title.get("authors") or ["pustaka"])[0].split(",")[0].split()
    name = unicodedata.normalize("NFKD", first[-1] if first else "pustaka")
    name = re.sub(r"[^A-Za-z0-9]", "", name.encode("ascii", "ignore").decode()).lower()
    return f"{name or 'pustaka'}{title.get('year') or ''}{title['id']}"


def bibtex(title: dict) -> str:
    entry = BIBTEX_TYPES.get(title["material_type"], "misc")
    fields = [
        ("title", full_title(title)),
        ("author", " and ".join(title.get("authors") or ())),
        ("publisher", title.get("publisher")),
        ("year", str(title["year"]) if title.get("year") else None),
        ("isbn", title.get("isbn")),
        ("issn", title.get("issn")),
        ("language", title.get("language")),
        ("keywords", ", ".join(title.get("subjects") or ())),
        ("abstract", title.get("description")),
        ("url", title.get("access_url")),
        ("note", f"Call number {title['call_number']}" if title.get("call_number") else None),
    ]
    lines = [f"  {name} = {_braced(value)}," for name, value in fields if value]
    return "\n".join([f"@{entry}{{{_key(title)},", *lines, "}"]) + "\n"


WRITERS = {"ris": ris, "bibtex": bibtex}  # one per CITATION_FORMATS


def cite_title(session: Session, public_id, format: str) -> str:
    if format not in WRITERS:
        raise field_error("format", f"Use one of {', '.join(CITATION_FORMATS)}.")
    return WRITERS[format](public.public_title(session, public_id))
