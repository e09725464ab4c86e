"""Finding titles: full text with Indonesian roots, filters, facets, keyset pages.

Every search, filtered or not, is one intersection in the search index
(postings.py): the words of `q` and a facet token per filter (see text.py).

Results come newest first (by id), never ranked by relevance: ranking every match
of a common term costs time in proportion to the matches, while this order makes
any page a lookup in the bitmap of matches. `total` is exact: the bitmap's size.
"""

from __future__ import annotations

import time

from pyroaring import BitMap
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chassis.errors import field_error
from chassis.pagination import Bounds, Key, Keyset

from . import postings
from .models import Title, TitleSubject
from .text import EVERY, Term, facet, facet_prefix, parse_query, year_tokens

YEAR_MIN, YEAR_MAX = 1000, 2100
# Newest first, as the index gives them (postings.newest); the cursor holds the seq
# of the last title served, one the index can hold.
NEWEST = Keyset(Key(Title.seq, Bounds(int, 1, postings.SEQ_MAX)), descending=True)


def _filter_terms(params: dict) -> list[Term]:
    kinds = {"type": "type", "language": "lang", "subject": "subj", "available_at": "avail"}
    terms = [Term(facet(kind, params[name])) for name, kind in kinds.items() if name in params]
    if "year_from" in params or "year_to" in params:
        low = max(YEAR_MIN, params.get("year_from", YEAR_MIN))
        high = min(YEAR_MAX, params.get("year_to", YEAR_MAX))
        if low > high:
            raise field_error("year_from", "It is after year_to.")
        years = year_tokens(low, high)
        terms.append(Term(years[0], alternatives=tuple(years[1:])))
    return terms


def matching(session: Session, params: dict) -> BitMap:
    """The seqs of every title the search matches."""
    words = parse_query(params.get("q", ""))
    if params.get("q", "").strip() and not words:
        raise field_error("q", "It has no words to search for.")
    return postings.matching(session, words + _filter_terms(params) or [Term(EVERY)])


def load_titles(session: Session, seqs: list[int]) -> list[Title]:
    """The titles of `seqs`, in that order."""
    by_seq = {t.seq: t for t in session.scalars(select(Title).where(Title.seq.in_(seqs)))}
    return [by_seq[s] for s in seqs]


def find(session: Session, params: dict) -> tuple[list[Title], str | None, int, dict | None]:
    """(titles of this page, next cursor, exact total, facet counts or None)."""
    after = NEWEST.decode(params.get("cursor"))
    matches = matching(session, params)
    seqs = postings.newest(matches, after["seq"] if after else None, params["limit"] + 1)
    titles, cursor = NEWEST.cut(load_titles(session, seqs), params["limit"])
    facets = _facets(session, matches) if params.get("facets") else None
    return titles, cursor, len(matches), facets


# Facet counts by the values the index holds: response key -> (kind of facet token,
# the value as its token spells it -> the value shown).
FACETS = {
    "type": ("type", str),
    "language": ("lang", str),
    "branch": ("avail", str.upper),  # with an available copy
    "decade": ("decade", lambda tens: str(int(tens) * 10)),
}
FACET_SUBJECTS = 10


def _facets(session: Session, matches: BitMap) -> dict:
    """Counts of the matches by type, language, branch with an available copy, decade
    and the most used subjects: each the size of the intersection of the matches
    with that value's bitmap."""
    out = {}
    for name, (kind, shown) in FACETS.items():
        prefix = facet_prefix(kind)
        found = postings.bitmaps_with_prefix(session, prefix)
        out[name] = _counts(matches, {shown(t[len(prefix) :]): b for t, b in found.items()})
    subjects = {v: facet("subj", v) for v in _top_subjects(session)}
    titles = postings.bitmaps(session, subjects.values())
    out["subject"] = _counts(matches, {v: titles[token] for v, token in subjects.items()})
    return out


def _counts(matches: BitMap, bitmaps: dict[str, BitMap]) -> list[dict]:
    found = [{"value": v, "count": matches.intersection_cardinality(b)} for v, b in bitmaps.items()]
    return sorted((f for f in found if f["count"]), key=lambda f: (-f["count"], f["value"]))


_top: dict[str, tuple[float, list[str]]] = {}
TOP_SUBJECTS_SECONDS = 300.0


def _top_subjects(session: Session) -> list[str]:
    """The catalogue's most used subjects, looked up at most every five minutes:
    counting them visits every subject row."""
    key = str(session.get_bind().url)
    hit = _top.get(key)
    if hit is None or hit[0] < time.monotonic():
        rows = session.execute(
            select(TitleSubject.subject)
            .group_by(TitleSubject.subject)
            .order_by(func.count().desc(), TitleSubject.subject)
            .limit(FACET_SUBJECTS)
        ).scalars()
        hit = _top[key] = (time.monotonic() + TOP_SUBJECTS_SECONDS, list(rows))
    return hit[1]
