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

import re
import unicodedata
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


@dataclass(frozen=True)
class Term:
    word: str
    prefix: bool = False


def parse_query(q: str) -> list[Term]:
    """Every word must match. `perpus*` matches words that begin so (as written);
    other words match by their root."""
    terms = []
    for raw in q.split():
        found = words(raw)
        for i, word in enumerate(found):
            # In `al-qur*`, the * belongs to the last word only.
            if raw.endswith("*") and i == len(found) - 1:
                terms.append(Term(word, prefix=True))
            else:
                terms.append(Term(stem(word)))
    return terms
