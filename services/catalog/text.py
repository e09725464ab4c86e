"""Words for full-text search, the same on SQLite and PostgreSQL.

A title's document holds each word as written (case-folded, without diacritics)
and, when it differs, its Indonesian root from the Sastrawi stemmer: so
`perpustakaan` is indexed as `perpustakaan pustaka`, and a search for either
`pustaka` or `perpustakaan` (both stem to `pustaka`) finds it. Sastrawi only
strips an affix when the root is in its dictionary, so English words pass through
unchanged and match as written. Stemming is done here, in Python, because neither
database has an Indonesian stemmer.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

_WORD = re.compile(r"[^\W_]+")
_stemmer = StemmerFactory().create_stemmer()


def fold(text: str) -> str:
    """Lower case without diacritics: 'Pérez' → 'perez'."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    # Codes and numbers (isbn, 2nd, abc123) have no Indonesian root.
    if len(word) < 4 or not word.isalpha():
        return word
    return _stemmer.stem(word) or word


def document(*fields: str | None) -> str:
    """The indexed text of a title's fields: words, then roots that differ."""
    out: list[str] = []
    for field in fields:
        for word in words(field or ""):
            out.append(word)
            root = stem(word)
            if root != word:
                out.append(root)
    return " ".join(out)


# Facet tokens: each document also carries its type, language, year, decade,
# subjects and the branches with an available copy as words of their own, so a
# filtered search is one index intersection (fast on both databases) rather than
# a join that visits every match. They begin with FACET, which no word does, and
# query words that begin so are ignored.
FACET = "zq"
EVERY = FACET + "all"  # in every searchable document: "match everything"


def subject_key(subject: str) -> str:
    return hashlib.sha1(fold(subject).encode()).hexdigest()[:12]


# How a facet's value is written in its token (by default as it is).
_FACET_VALUE = {"subj": subject_key, "avail": str.lower, "decade": lambda year: year // 10}


def facet_prefix(kind: str) -> str:
    """What every token of one kind of facet begins with."""
    return f"{FACET}{kind}"


def facet(kind: str, value) -> str:
    """The token of one facet value, the one spelling that documents, filters and
    counts share: facet("type", "book") is "zqtypebook"; a "decade" is given a year
    in it, a "subj" the subject's text, an "avail" a branch code."""
    return facet_prefix(kind) + str(_FACET_VALUE.get(kind, str)(value))


def facet_tokens(
    material_type: str,
    language: str,
    year: int | None,
    subjects: list[str],
    available_at: list[str],
) -> list[str]:
    tokens = [EVERY, facet("type", material_type), facet("lang", language)]
    if year is not None:
        tokens += [facet("year", year), facet("decade", year)]
    tokens += sorted({facet("subj", s) for s in subjects})
    return tokens + availability_tokens(available_at)


def availability_tokens(available_at: Iterable[str]) -> list[str]:
    """The facet tokens of the branches with an available copy, the last of a
    document's: the importer adds them to documents it made before the database
    had taken their copies."""
    return sorted({facet("avail", b) for b in available_at})


def with_availability_at(document: str, branch: str, available: bool) -> str:
    """A search document with `branch` among the branches where a copy is available,
    or not: after a change of one of a title's copies, which leaves its words and its
    other facets as they are (they are not analysed again). The branches stay last,
    in search_document's order."""
    if not document:
        return document  # a withdrawn title's: no search finds it
    prefix = facet_prefix("avail")
    tokens = document.split(" ")
    branches = {token for token in tokens if token.startswith(prefix)}
    (branches.add if available else branches.discard)(facet("avail", branch))
    return " ".join([t for t in tokens if not t.startswith(prefix)] + sorted(branches))


def year_tokens(low: int, high: int) -> list[str]:
    """The fewest facet tokens covering the years low..high: whole decades as one."""
    tokens, year = [], low
    while year <= high:
        if year % 10 == 0 and year + 9 <= high:
            tokens.append(facet("decade", year))
            year += 10
        else:
            tokens.append(facet("year", year))
            year += 1
    return tokens


@dataclass(frozen=True)
class Term:
    """Words to match: any of `words` (one, or alternatives such as years)."""

    word: str
    prefix: bool = False
    alternatives: tuple[str, ...] = ()


def parse_query(q: str) -> list[Term]:
    """Every word must match. `perpus*` matches words that begin so (as written);
    other words match by their root."""
    terms = []
    for raw in q.split():
        found = [w for w in words(raw) if not w.startswith(FACET)]
        for i, word in enumerate(found):
            # In `al-qur*`, the * belongs to the last word only.
            if raw.endswith("*") and i == len(found) - 1:
                terms.append(Term(word, prefix=True))
            else:
                terms.append(Term(stem(word)))
    return terms
