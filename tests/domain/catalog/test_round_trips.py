"""What a new title and a new copy cost PostgreSQL in round trips, the whole unit of work as a
request runs it (see tests/domain/people/test_round_trips.py)."""

import pytest

from chassis.context import SYSTEM
from services.catalog import branches, items, titles
from tests.support import requested, round_trips

pytestmark = pytest.mark.parametrize(
    "database_kind", [pytest.param("postgresql", marks=pytest.mark.postgres)]
)


def test_a_new_title_is_four_round_trips(catalog_db):
    payload = {"title": "Tambo Alam Kerinci", "subjects": ["Adat", "Sejarah Kerinci"]}
    with round_trips(catalog_db.engine) as sent:
        made = requested(catalog_db, "create_title", titles.create_title, payload, SYSTEM)
    # the title (its key is its id); its words pending for the index and its subjects
    # with the event and the answer, in one statement; the commit
    assert len(sent) == 4, sent
    assert "INSERT INTO titles" in sent[1]
    last = sent[2]
    assert all(f"INSERT INTO {t}" in last for t in ("search_pending", "title_subjects", "outbox"))
    with catalog_db.reading() as session:
        found = titles.search_titles(session, {"q": "tambo"})["items"]
        assert [t["id"] for t in found] == [made["id"]]  # found through its pending words
        for subject, ids in (("Adat", [made["id"]]), ("Sastra", [])):
            by_subject = titles.search_titles(session, {"subject": subject})["items"]
            assert [t["id"] for t in by_subject] == ids


def test_a_new_copy_is_five_round_trips(catalog_db):
    with catalog_db.transaction() as session:
        branches.put_branch(session, {"code": "SPN", "name": "Perpustakaan Pusat"}, SYSTEM)
    title = requested(catalog_db, "create_title", titles.create_title, {"title": "Bobo"}, SYSTEM)
    copy = {"barcode": "SPN-RT-1", "branch": "SPN"}
    with round_trips(catalog_db.engine) as sent:
        requested(catalog_db, "add_item", items.add_item, title["id"], copy, SYSTEM)
    # the title (locked) with the branch and barcode checks; the title's time and
    # search document; the copy and its title's words pending, with the event and
    # the answer, in one statement; the commit
    assert len(sent) == 5, sent
    assert "UPDATE titles" in sent[2]
    assert all(f"INSERT INTO {t}" in sent[3] for t in ("items", "search_pending", "outbox"))
    with catalog_db.reading() as session:
        found = items.get_item(session, "SPN-RT-1")
    assert (found["title_id"], found["status"]) == (title["id"], "available")
