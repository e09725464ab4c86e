"""Rows written in bulk (chassis/bulk.py, beneath the ORM) are stored as the ORM
stores them: the same text for dates and times on SQLite, the same JSON, so that
comparisons and orderings in SQL see one format, whichever way a row came."""

import datetime as dt
import warnings

import pytest
from sqlalchemy import JSON, Column, Date, DateTime, Integer, String, select, text
from sqlalchemy.orm import DeclarativeBase

from chassis import bulk
from tests.support import database_of


class Base(DeclarativeBase):
    pass


class Visit(Base):
    __tablename__ = "visits"
    id = Column(Integer, primary_key=True)
    day = Column(Date, nullable=False)
    at = Column(DateTime, nullable=False)
    note = Column(String(20))
    extra = Column(JSON)


ROW = {
    "day": dt.date(2026, 2, 28),
    "at": dt.datetime(2026, 2, 28, 9, 0),  # no microseconds: sqlite3's adapter drops them
    "note": "tab\there",
    "extra": {"purpose": "baca", "ages": [7, 12]},
}


@pytest.fixture
def db(database_url):
    with database_of(database_url, Base.metadata) as db:
        yield db


def stored(db) -> list[tuple]:
    """Each row as the database holds it (its text, on SQLite), by id."""
    with db.reading() as session:
        return session.execute(
            text(
                "SELECT CAST(day AS TEXT), CAST(at AS TEXT), note, CAST(extra AS TEXT)"
                " FROM visits ORDER BY id"
            )
        ).all()


@pytest.mark.parametrize(
    "write",
    [
        lambda s, t, rows: bulk.insert_rows(s, t, rows),
        lambda s, t, rows: bulk.upsert_rows(s, t, rows),
        lambda s, t, rows: bulk.insert_missing(s, t, rows),
        lambda s, t, rows: bulk.insert_returning(s, t, rows, "id"),
    ],
    ids=["insert_rows", "upsert_rows", "insert_missing", "insert_returning"],
)
def test_a_row_written_in_bulk_is_stored_as_the_orm_stores_it(db, write):
    with db.transaction() as session:
        session.add(Visit(id=1, **ROW))
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)  # Python 3.12's sqlite3
        with db.transaction() as session:
            write(session, Visit.__table__, [{"id": 2, **ROW}])
    by_orm, in_bulk = stored(db)
    assert in_bulk == by_orm
    with db.reading() as session:
        read = session.scalars(select(Visit).order_by(Visit.id)).all()
        assert [(v.day, v.at, v.note, v.extra) for v in read] == [tuple(ROW.values())] * 2


def test_rows_inserted_in_bulk_give_back_the_ids_the_database_chose(db):
    rows = [{k: v for k, v in ROW.items()} for _ in range(3)]
    with db.transaction() as session:
        first = bulk.insert_returning(session, Visit.__table__, rows, "id")
        more = bulk.insert_returning(session, Visit.__table__, rows[:1], "id")
        assert bulk.insert_returning(session, Visit.__table__, [], "id") == []
    with db.reading() as session:
        stored_ids = session.scalars(select(Visit.id).order_by(Visit.id)).all()
    assert sorted(first + more) == stored_ids and len(set(stored_ids)) == 4


def test_rows_updated_in_bulk_are_stored_as_the_orm_stores_them(db):
    with db.transaction() as session:
        session.add(Visit(id=1, **ROW))
        session.add(Visit(id=2, day=dt.date(2026, 1, 1), at=dt.datetime(2026, 1, 1), note="x"))
    with db.transaction() as session:
        bulk.update_rows(session, Visit.__table__, [{"id": 2, **ROW}])
    by_orm, in_bulk = stored(db)
    assert in_bulk == by_orm
