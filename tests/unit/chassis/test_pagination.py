import math

import pytest
from sqlalchemy import Float, ForeignKey, Integer, String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from chassis.errors import ValidationFailed
from chassis.pagination import Bounds, Key, Keyset, decode_cursor, encode_cursor, page

SEQ = Bounds(int, 1, 2**32 - 1)


def test_cursor_round_trip():
    assert decode_cursor(encode_cursor({"seq": 42}), seq=SEQ) == {"seq": 42}
    assert decode_cursor(None) is None


@pytest.mark.parametrize("bad", ["!!!", "bm90IGpzb24", encode_cursor([1])[:-1] + "x"])
def test_foreign_cursors_are_a_validation_error(bad):
    with pytest.raises(ValidationFailed) as err:
        decode_cursor(bad)
    assert "cursor" in err.value.details["fields"]


@pytest.mark.parametrize(
    "key",
    [
        {"seq": 2**32},  # beyond the bounds: a forged cursor, not an overflow
        {"seq": 2**64},
        {"seq": 0},
        {"seq": -1},
        {"seq": 1.5},
        {"seq": True},
        {"seq": "42"},
        {"seq": None},
        {},
        [42],
    ],
)
def test_a_field_out_of_its_bounds_is_a_validation_error(key):
    with pytest.raises(ValidationFailed) as err:
        decode_cursor(encode_cursor(key), seq=SEQ)
    assert "cursor" in err.value.details["fields"]


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_numbers_json_should_not_carry_are_out_of_any_bounds(value):
    cursor = encode_cursor({"t": value})  # Python's json writes NaN and Infinity, and reads them
    with pytest.raises(ValidationFailed):
        decode_cursor(cursor, t=Bounds((int, float), 0, 1e12))


def test_bounds_are_inclusive_and_each_field_has_its_own():
    time = Bounds((int, float), 0, 1e12)
    assert decode_cursor(encode_cursor({"t": 0, "s": 2**32 - 1}), t=time, s=SEQ)
    assert decode_cursor(encode_cursor({"t": 1.5, "s": 1}), t=time, s=SEQ)


def test_page_gives_a_cursor_only_when_more_rows_exist():
    items, cursor = page([1, 2, 3], 2, lambda x: {"seq": x})
    assert items == [1, 2]
    assert decode_cursor(cursor, seq=SEQ) == {"seq": 2}
    items, cursor = page([1, 2], 2, lambda x: {"seq": x})
    assert items == [1, 2] and cursor is None


class Base(DeclarativeBase):
    pass


class Shelf(Base):
    __tablename__ = "shelves"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(20))


class Book(Base):
    __tablename__ = "books"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    shelf_seq: Mapped[int] = mapped_column(ForeignKey("shelves.seq"))
    stamp: Mapped[float] = mapped_column(Float)


STAMP = Bounds((int, float), 0, 1e12)


@pytest.fixture
def session():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add_all([Shelf(seq=1, name="A"), Shelf(seq=2, name="B")])
        # Stamps with ties, seqs not in stamp order: the second column decides a tie.
        stamps = {1: 5.0, 2: 3.0, 3: 5.0, 4: 1.5, 5: 3.0, 6: 5.0, 7: 0.0}
        session.add_all(Book(seq=s, shelf_seq=1 + s % 2, stamp=t) for s, t in stamps.items())
        session.flush()
        yield session


def every_page(session, keyset, stmt, limit):
    """Each page's items, following the cursors to the end."""
    pages, cursor = [], None
    while True:
        items, cursor = keyset.fetch(session, stmt, limit, cursor)
        pages.append(items)
        if cursor is None:
            return pages


@pytest.mark.parametrize("limit", [1, 2, 3, 7, 8])
def test_a_compound_key_pages_through_ties_once_each(session, limit):
    keyset = Keyset(Key(Book.stamp, STAMP, name="t"), Key(Book.seq, name="s"))
    pages = every_page(session, keyset, select(Book), limit)
    seqs = [book.seq for items in pages for book in items]
    assert seqs == [7, 4, 2, 5, 1, 3, 6]
    assert all(len(items) == limit for items in pages[:-1])


def test_newest_first_and_a_filter(session):
    newest = Keyset(Book.seq, descending=True)
    stmt = select(Book).where(Book.shelf_seq == 2)
    assert [[b.seq for b in items] for items in every_page(session, newest, stmt, 2)] == [
        [7, 5],
        [3, 1],
    ]


def test_a_descending_compound_key(session):
    latest = Keyset(Key(Book.stamp, STAMP), Book.seq, descending=True)
    pages = every_page(session, latest, select(Book), 2)
    assert [b.seq for items in pages for b in items] == [6, 3, 1, 5, 2, 4, 7]


def test_a_row_of_two_entities_is_a_tuple_and_the_cursor_names_the_columns(session):
    soonest = Keyset(Key(Book.stamp, STAMP), Book.seq)
    stmt = select(Book, Shelf).join(Shelf, Shelf.seq == Book.shelf_seq)
    items, cursor = soonest.fetch(session, stmt, 2, None)
    assert [(book.seq, shelf.name) for book, shelf in items] == [(7, "B"), (4, "A")]
    assert decode_cursor(cursor, stamp=STAMP, seq=SEQ) == {"stamp": 1.5, "seq": 4}


def test_a_cursor_this_order_did_not_give_out_is_a_field_error(session):
    soonest = Keyset(Key(Book.stamp, STAMP), Book.seq)
    _, by_seq_cursor = Keyset(Book.seq).fetch(session, select(Book), 1, None)
    for cursor in ("not a cursor", by_seq_cursor):  # the second holds no stamp
        with pytest.raises(ValidationFailed) as err:
            soonest.fetch(session, select(Book), 1, cursor)
        assert "cursor" in err.value.details["fields"]


def test_cut_pages_what_was_read_elsewhere_in_the_same_order(session):
    newest = Keyset(Book.seq, descending=True)
    books = list(session.scalars(select(Book).order_by(Book.seq.desc()).limit(3)))
    items, cursor = newest.cut(books, 2)
    assert [b.seq for b in items] == [7, 6]
    assert newest.decode(cursor) == {"seq": 6}
