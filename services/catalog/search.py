"""Finding titles: full text with Indonesian roots, filters, facets, keyset pages.

SQLite: an FTS5 table over titles.search_doc (kept in step by triggers, see the
migration). PostgreSQL: a GIN index on to_tsvector('simple', search_doc). Both get
the same words from text.py, so both find the same titles.

Results come newest first (by id), never ranked by relevance: ranking every match
of a common term would cost time in proportion to the matches, while this order
lets either index stop after one page. `total` is exact.
"""

from __future__ import annotations

from sqlalchemy import and_, column, exists, func, literal_column, select, table, text
from sqlalchemy.orm import Session

from services.chassis.errors import ValidationFailed
from services.chassis.pagination import decode_cursor, page

from .models import Item, Title, TitleSubject
from .text import Term, fold, parse_query

FTS = table("titles_fts", column("rowid"))


def _fts5_expression(terms: list[Term]) -> str:
    return " ".join(f'"{t.word}"' + ("*" if t.prefix else "") for t in terms)


def _tsquery(terms: list[Term]) -> str:
    return " & ".join(f"'{t.word}'" + (":*" if t.prefix else "") for t in terms)


def _text_match(session: Session, terms: list[Term]):
    """(FROM clause, WHERE condition) restricting titles to those matching every term."""
    titles = Title.__table__
    if session.get_bind().dialect.name == "sqlite":
        joined = titles.join(FTS, FTS.c.rowid == titles.c.seq)
        return joined, text("titles_fts MATCH :fts").bindparams(fts=_fts5_expression(terms))
    vector = func.to_tsvector(literal_column("'simple'"), titles.c.search_doc)
    query = func.to_tsquery(literal_column("'simple'"), _tsquery(terms))
    return titles, vector.op("@@")(query)


def _filters(params: dict) -> list:
    where = [Title.withdrawn_at.is_(None)]
    if "type" in params:
        where.append(Title.material_type == params["type"])
    if "language" in params:
        where.append(Title.language == params["language"])
    if "year_from" in params:
        where.append(Title.year >= params["year_from"])
    if "year_to" in params:
        where.append(Title.year <= params["year_to"])
    if "subject" in params:
        where.append(
            exists().where(
                TitleSubject.title_seq == Title.seq, TitleSubject.subject == fold(params["subject"])
            )
        )
    if "available_at" in params:
        where.append(
            exists().where(
                Item.title_seq == Title.seq,
                Item.branch_code == params["available_at"],
                Item.status == "available",
            )
        )
    return where


def find(session: Session, params: dict) -> tuple[list[Title], str | None, int, dict | None]:
    """(titles of this page, next cursor, exact total, facet counts or None)."""
    if params.get("year_from", 0) > params.get("year_to", 9999):
        raise ValidationFailed(
            "year_from is after year_to.", {"fields": {"year_from": ["After year_to."]}}
        )
    after = decode_cursor(params.get("cursor"))
    if after is not None and not isinstance(after.get("seq"), int):
        raise ValidationFailed("Invalid cursor.", {"fields": {"cursor": ["Invalid cursor."]}})
    terms = parse_query(params.get("q", ""))
    if params.get("q", "").strip() and not terms:
        raise ValidationFailed("q has no words to search for.", {"fields": {"q": ["No words."]}})
    source, where = Title.__table__, _filters(params)
    if terms:
        source, match = _text_match(session, terms)
        where.append(match)
    condition = and_(*where)
    total = session.scalar(select(func.count()).select_from(source).where(condition))
    page_where = [condition] + ([Title.seq < after["seq"]] if after else [])
    rows = session.scalars(
        select(Title)
        .select_from(source)
        .where(*page_where)
        .order_by(Title.seq.desc())
        .limit(params["limit"] + 1)
    ).all()
    items, cursor = page(list(rows), params["limit"], lambda t: {"seq": t.seq})
    facets = _facets(session, source, condition) if params.get("facets") else None
    return items, cursor, total, facets


def _facets(session: Session, source, condition) -> dict:
    def counts(expr, limit=None):
        stmt = (
            select(expr.label("value"), func.count().label("n"))
            .select_from(source)
            .where(condition, expr.is_not(None))
            .group_by(expr)
            .order_by(func.count().desc(), expr)
        )
        rows = session.execute(stmt.limit(limit) if limit else stmt).all()
        return [{"value": str(value), "count": n} for value, n in rows]

    subjects = (
        select(TitleSubject.subject.label("value"), func.count().label("n"))
        .select_from(source.join(TitleSubject, TitleSubject.title_seq == Title.seq))
        .where(condition)
        .group_by(TitleSubject.subject)
        .order_by(func.count().desc(), TitleSubject.subject)
        .limit(20)
    )
    return {
        "type": counts(Title.material_type),
        "language": counts(Title.language),
        "year": counts(Title.year, limit=50),
        "subject": [{"value": v, "count": n} for v, n in session.execute(subjects).all()],
    }
