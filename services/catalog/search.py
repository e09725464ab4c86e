"""Finding titles: full text with Indonesian roots, filters, facets, keyset pages.

Every search, filtered or not, is one full-text query: the words of `q` and a
facet token per filter (see text.py), intersected by the index. SQLite: an FTS5
table over titles.search_doc, kept in step by triggers (see the migrations).
PostgreSQL: a GIN index on a stored column, to_tsvector('simple', search_doc).
Both index the same
words, so both find the same titles.

Results come newest first (by id), never ranked by relevance: ranking every match
of a common term costs time in proportion to the matches, while this order lets
either index stop after one page. `total` is exact, counted in the index alone.
"""

from __future__ import annotations

import time

from sqlalchemy import func, literal_column, select, text
from sqlalchemy.orm import Session

from services.chassis.errors import field_error
from services.chassis.pagination import decode_cursor, page

from .models import Title, TitleSubject
from .schemas import MATERIAL_TYPES
from .text import EVERY, FACET, Term, parse_query, subject_key, year_tokens

YEAR_MIN, YEAR_MAX = 1000, 2100


def _filter_terms(params: dict) -> list[Term]:
    terms = []
    if "type" in params:
        terms.append(Term(f"{FACET}type{params['type']}"))
    if "language" in params:
        terms.append(Term(f"{FACET}lang{params['language']}"))
    if "subject" in params:
        terms.append(Term(f"{FACET}subj{subject_key(params['subject'])}"))
    if "available_at" in params:
        terms.append(Term(f"{FACET}avail{params['available_at'].lower()}"))
    if "year_from" in params or "year_to" in params:
        low = max(YEAR_MIN, params.get("year_from", YEAR_MIN))
        high = min(YEAR_MAX, params.get("year_to", YEAR_MAX))
        if low > high:
            raise field_error("year_from", "It is after year_to.")
        years = year_tokens(low, high)
        terms.append(Term(years[0], alternatives=tuple(years[1:])))
    return terms


# How each database's query language writes AND, OR, a word and a prefix.
FTS5 = (" AND ", " OR ", '"{}"', "*")
TSQUERY = (" & ", " | ", "'{}'", ":*")


def _expression(terms: list[Term], syntax: tuple[str, str, str, str]) -> str:
    and_, or_, quoted, prefix = syntax

    def one(t: Term) -> str:
        if t.alternatives:
            return "(" + or_.join(quoted.format(w) for w in (t.word, *t.alternatives)) + ")"
        return quoted.format(t.word) + (prefix if t.prefix else "")

    return and_.join(one(t) for t in terms)


class Index:
    """The full-text index of one database: counts and pages of matching ids."""

    def __init__(self, session: Session):
        self.session = session
        self.sqlite = session.get_bind().dialect.name == "sqlite"
        if not self.sqlite:
            # Room for an exact bitmap of a million matches: a lossy one makes
            # PostgreSQL re-read every document on the pages it covers.
            session.execute(text("SET LOCAL work_mem = '64MB'"))

    def _ids(self, terms: list[Term]):
        """(select of matching ids, the id column) for these terms."""
        if self.sqlite:
            rowid = literal_column("rowid")
            stmt = (
                select(rowid)
                .select_from(text("titles_fts"))
                .where(text("titles_fts MATCH :fts").bindparams(fts=_expression(terms, FTS5)))
            )
            return stmt, rowid
        vector = literal_column("search_vector")
        query = func.to_tsquery(literal_column("'simple'"), _expression(terms, TSQUERY))
        return select(Title.seq).where(vector.op("@@")(query)), Title.seq

    def count(self, terms: list[Term]) -> int:
        ids, _ = self._ids(terms)
        return self.session.scalar(select(func.count()).select_from(ids.subquery()))

    def page(self, terms: list[Term], before: int | None, limit: int) -> list[int]:
        ids, column = self._ids(terms)
        if before is not None:
            ids = ids.where(column < before)
        return list(self.session.scalars(ids.order_by(column.desc()).limit(limit)))


def find(session: Session, params: dict) -> tuple[list[Title], str | None, int, dict | None]:
    """(titles of this page, next cursor, exact total, facet counts or None)."""
    after = decode_cursor(params.get("cursor"))
    if after is not None and not isinstance(after.get("seq"), int):
        raise field_error("cursor", "Invalid cursor.")
    words = parse_query(params.get("q", ""))
    if params.get("q", "").strip() and not words:
        raise field_error("q", "It has no words to search for.")
    terms = words + _filter_terms(params) or [Term(EVERY)]
    index = Index(session)
    total = index.count(terms)
    seqs = index.page(terms, after["seq"] if after else None, params["limit"] + 1)
    by_seq = {t.seq: t for t in session.scalars(select(Title).where(Title.seq.in_(seqs)))}
    titles, cursor = page([by_seq[s] for s in seqs], params["limit"], lambda t: {"seq": t.seq})
    facets = _facets(session, index, terms) if params.get("facets") else None
    return titles, cursor, total, facets


FACET_LANGUAGES = ("ind", "eng", "min", "jav", "msa", "ara", "nld", "mul")
FACET_SUBJECTS = 10


def _facets(session: Session, index: Index, terms: list[Term]) -> dict:
    """Counts of the matches by type, language, decade and the most used subjects;
    each is one more intersection in the index, so the cost is bounded by the
    number of values counted, not the number of matches."""

    def counts(values, token) -> list[dict]:
        found = [{"value": str(v), "count": index.count([*terms, Term(token(v))])} for v in values]
        return sorted((f for f in found if f["count"]), key=lambda f: -f["count"])

    decades = range(1900, 2030, 10)
    return {
        "type": counts(MATERIAL_TYPES, lambda v: f"{FACET}type{v}"),
        "language": counts(FACET_LANGUAGES, lambda v: f"{FACET}lang{v}"),
        "decade": counts(decades, lambda v: f"{FACET}decade{v // 10}"),
        "subject": counts(_top_subjects(session), lambda v: f"{FACET}subj{subject_key(v)}"),
    }


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
