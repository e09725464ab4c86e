"""The catalogue's title logic on a migrated database, SQLite and PostgreSQL."""

import json

import pytest
from sqlalchemy import select

from chassis.context import Caller
from chassis.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chassis.pagination import encode_cursor
from services.catalog import titles
from services.catalog.models import outbox_table

BRANCH = Caller("k-kmn", "branch", branch="KMN")
PARTNER = Caller("k-unja", "partner", partner="UNJA")


@pytest.fixture
def db(catalog_db):
    return catalog_db


def create(db, caller=BRANCH, **fields):
    """As the service does: in a unit of work acting for the caller."""
    payload = {"title": "Laskar Pelangi", "authors": ["Andrea Hirata"], **fields}
    with db.acting_as(caller.as_context()).transaction() as session:
        return titles.create_title(session, payload, caller)


def outbox_rows(db):
    with db.reading() as session:
        return session.execute(select(outbox_table)).all()


def test_create_normalises_isbn10_to_isbn13_and_emits_title_created(db):
    title = create(db, isbn="979-3062-79-7", year=2005)
    assert title["id"] == "T000001"
    assert title["isbn"] == "9789793062792"
    (row,) = outbox_rows(db)
    envelope = json.loads(row.envelope)
    assert row.event_type == "title_created"
    assert envelope["subject"] == "T000001"
    assert envelope["data"] == title
    assert json.loads(row.context)["client_id"] == "k-kmn"


def test_bad_isbn_check_digit_names_the_field_and_changes_nothing(db):
    with pytest.raises(ValidationFailed) as err:
        create(db, isbn="979-3062-79-8")
    assert "isbn" in err.value.details["fields"]
    assert outbox_rows(db) == []
    with db.reading() as session:
        assert titles.search_titles(session, {})["total"] == 0


def test_same_isbn_twice_conflicts_and_points_at_the_first(db):
    first = create(db, isbn="9789793062792")
    with pytest.raises(Conflict) as err:
        create(db, title="Another", isbn="979-3062-79-7")
    assert err.value.details["existing_id"] == first["id"]
    assert len(outbox_rows(db)) == 1


def test_missing_title_and_unknown_type_are_field_errors(db):
    with db.transaction() as session, pytest.raises(ValidationFailed) as err:
        titles.create_title(session, {"material_type": "scroll"}, BRANCH)
    assert set(err.value.details["fields"]) == {"title", "material_type"}


def test_ebook_needs_an_access_url(db):
    with pytest.raises(ValidationFailed) as err:
        create(db, material_type="ebook")
    assert "access_url" in err.value.details["fields"]


@pytest.mark.parametrize(
    "fields, path, says",
    [
        ({"title": "Buku\x00"}, ("title",), "cannot be stored"),
        ({"subjects": ["Sejarah", "Kerinci\ud800"]}, ("subjects", 1), "cannot be stored"),
        ({"language": "ind\n"}, ("language",), "ISO 639-2"),
    ],
)
def test_text_no_database_can_store_is_a_field_error_and_changes_nothing(db, fields, path, says):
    with pytest.raises(ValidationFailed) as failed:
        create(db, **fields)
    problem = failed.value.details["fields"]
    for key in path:
        problem = problem[key]
    assert says in problem[0]
    assert outbox_rows(db) == []


def test_partners_may_not_create_titles(db):
    with pytest.raises(Forbidden):
        create(db, caller=PARTNER)


def test_get_unknown_or_malformed_id_is_not_found(db):
    with db.reading() as session:
        for bad in ("T999999", "nonsense", "T"):
            with pytest.raises(NotFound):
                titles.get_title(session, bad)


def test_search_pages_through_every_match_with_an_exact_total(db):
    for i in range(7):
        create(db, title=f"Sejarah Kerinci jilid {i}")
    create(db, title="Cerita rakyat Jambi")
    seen, cursor = [], None
    while True:
        with db.reading() as session:
            result = titles.search_titles(session, {"q": "kerinci", "limit": 3, "cursor": cursor})
        assert result["total"] == 7
        seen += [t["id"] for t in result["items"]]
        cursor = result["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 7


@pytest.mark.parametrize("seq", [2**32, 2**63, 2**64])
def test_a_cursor_beyond_what_the_index_holds_is_a_field_error(db, seq):
    create(db)
    with db.reading() as session, pytest.raises(ValidationFailed) as err:
        titles.search_titles(session, {"cursor": encode_cursor({"seq": seq})})
    assert "cursor" in err.value.details["fields"]


def test_search_words_all_must_match_and_a_query_without_words_is_refused(db):
    create(db, title="Manajemen perpustakaan", subjects=["Library science"])
    create(db, title="Manajemen keuangan")
    with db.reading() as session:
        assert titles.search_titles(session, {"q": "manajemen library"})["total"] == 1
        assert titles.search_titles(session, {"q": "MANAJEMEN"})["total"] == 2
        with pytest.raises(ValidationFailed) as err:
            titles.search_titles(session, {"q": "% ?"})
        assert "q" in err.value.details["fields"]


def test_limit_over_the_ceiling_is_refused(db):
    with db.reading() as session, pytest.raises(ValidationFailed) as err:
        titles.search_titles(session, {"limit": 1000})
    assert "limit" in err.value.details["fields"]
