"""The search index (bitmaps of titles per word) on SQLite and PostgreSQL: it always
equals what the titles' search documents say, whatever writes it has seen."""

import threading
from contextlib import nullcontext

import pytest
from sqlalchemy import func, select, text

from chassis.context import SYSTEM
from chassis.db import open_database
from chassis.errors import ValidationFailed
from chassis.migrations import upgrade
from services.catalog import branches, items, postings, titles
from services.catalog.contract import TITLE_ID
from services.catalog.models import Base, PendingPosting, SearchPosting
from services.catalog.part import PART as CATALOG
from services.catalog.text import Term
from tests.support import index_of_documents, round_trips, stored_index


def test_the_index_follows_creates_updates_copies_and_withdrawals(catalog_db):
    with catalog_db.transaction() as session:
        branches.put_branch(session, {"code": "SPN", "name": "Pusat"}, SYSTEM)
        made = [
            titles.create_title(session, {"title": f"Sejarah Kerinci jilid {i}"}, SYSTEM)
            for i in range(6)
        ]
        items.add_item(session, made[0]["id"], {"barcode": "SPN-1", "branch": "SPN"}, SYSTEM)
        titles.update_title(session, made[1]["id"], {"title": "Budaya Jambi"}, SYSTEM)
        titles.withdraw_title(session, made[2]["id"], SYSTEM)
        items.change_status(session, "SPN-1", {"status": "on_loan"}, SYSTEM)
    with catalog_db.reading() as session:
        assert stored_index(session) == index_of_documents(session)
        assert len(postings.matching(session, [Term("kerinci")])) == 4
        assert list(postings.matching(session, [Term("jambi")])) == [TITLE_ID.parse(made[1]["id"])]


def test_a_copy_rewrites_the_document_only_when_the_branches_available_change(catalog_db):
    """A second copy at a branch, or a loan where another copy stays, changes no
    search document and sends the index nothing (counted on PostgreSQL)."""
    with catalog_db.transaction() as session:
        for code in ("SPN", "KMN"):
            branches.put_branch(session, {"code": code, "name": code}, SYSTEM)
        title = titles.create_title(session, {"title": "Tambo Alam Kerinci"}, SYSTEM)["id"]
        items.add_item(session, title, {"barcode": "SPN-1", "branch": "SPN"}, SYSTEM)
    seq = TITLE_ID.parse(title)

    def document() -> list[str]:
        with catalog_db.reading() as session:
            doc = session.scalar(select(titles.Title.search_doc).where(titles.Title.seq == seq))
        return doc.split()

    steps = [  # what a branch does; whether the branches with an available copy change
        (lambda s: items.add_item(s, title, {"barcode": "SPN-2", "branch": "SPN"}, SYSTEM), 0),
        (lambda s: items.change_status(s, "SPN-1", {"status": "on_loan"}, SYSTEM), 0),
        (lambda s: items.change_status(s, "SPN-2", {"status": "on_loan"}, SYSTEM), 1),
        (lambda s: items.add_item(s, title, {"barcode": "KMN-1", "branch": "KMN"}, SYSTEM), 1),
    ]
    postgresql = catalog_db.engine.dialect.name == "postgresql"
    for step, changes in steps:
        before = document()
        counting = round_trips(catalog_db.engine) if postgresql else nullcontext([])
        with counting as sent, catalog_db.transaction() as session:
            step(session)
        assert (document() != before) == bool(changes)
        if postgresql:
            assert any("search_pending" in statement for statement in sent) == bool(changes)
    assert "zqavailkmn" in document() and "zqavailspn" not in document()
    with catalog_db.reading() as session:
        assert stored_index(session) == index_of_documents(session)
        assert list(postings.matching(session, [Term("kerinci")])) == [seq]
        row = session.get(titles.Title, seq)
        fields = {name: getattr(row, name) for name in titles.MODELLED}
    # Changed a branch at a time, the document is what it would be made whole.
    assert document() == titles.search_document(fields, ["KMN"]).split()


def at_once(db, first, second) -> None:
    """`first(session)` and `second(session)` in two transactions at once: the first
    commits only when the second waits on a lock it holds (PostgreSQL)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's writers wait for each other at BEGIN: nothing runs at once")
    second_done, errors = threading.Event(), []

    def run_second() -> None:
        try:
            with db.transaction() as session:
                second(session)
        except Exception as exc:  # reported below
            errors.append(exc)
        second_done.set()

    thread = threading.Thread(target=run_second)
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    with db.transaction() as session:
        first(session)
        thread.start()
        with db.engine.connect() as watcher:
            for _ in range(500):  # 10 s at most
                if watcher.scalar(waiting) or second_done.is_set():
                    break
                second_done.wait(0.02)
        assert not second_done.is_set()  # it did wait
    thread.join(30)
    assert errors == [] and second_done.is_set()


def test_copies_changed_at_once_leave_the_title_found_where_one_is_available(catalog_db):
    """Two transactions changing copies of one title at once: the second waits for
    the first (the title's row is locked) and builds on what it left."""
    with catalog_db.transaction() as session:
        for code in ("SPN", "KMN", "SLK"):
            branches.put_branch(session, {"code": code, "name": code}, SYSTEM)
        title = titles.create_title(session, {"title": "Tambo Alam Kerinci"}, SYSTEM)["id"]
        for barcode in ("SPN-1", "SPN-2"):
            items.add_item(session, title, {"barcode": barcode, "branch": "SPN"}, SYSTEM)

    def available_at(branch: str) -> int:
        with catalog_db.reading() as session:
            return titles.search_titles(session, {"q": "tambo", "available_at": branch})["total"]

    def lend(barcode: str):
        return lambda s: items.change_status(s, barcode, {"status": "on_loan"}, SYSTEM)

    def add(barcode: str, branch: str):
        return lambda s: items.add_item(s, title, {"barcode": barcode, "branch": branch}, SYSTEM)

    at_once(catalog_db, lend("SPN-1"), lend("SPN-2"))  # the branch's last two copies
    assert available_at("SPN") == 0
    at_once(catalog_db, add("KMN-1", "KMN"), add("SLK-1", "SLK"))  # two branches' first
    assert available_at("KMN") == available_at("SLK") == 1
    with catalog_db.reading() as session:
        assert stored_index(session) == index_of_documents(session)


def test_titles_far_apart_share_a_word_across_chunks(catalog_db):
    far = [3, 70_000, 140_001, 1 << 20]
    with catalog_db.transaction() as session:
        postings.update_documents(session, [(seq, "", "gunung zqall") for seq in far])
    with catalog_db.transaction() as session:
        postings.update_documents(session, [(70_000, "gunung zqall", "danau zqall")])
    with catalog_db.reading() as session:
        found = postings.matching(session, [Term("gunung")])
        chunks = session.scalars(
            select(SearchPosting.chunk).where(SearchPosting.term == "gunung")
        ).all()
    assert list(found) == [3, 140_001, 1 << 20]
    assert sorted(chunks) == [0, 2, 16]  # the emptied chunk's row is gone
    assert postings.newest(found, None, 2) == [1 << 20, 140_001]
    assert postings.newest(found, 140_001, 5) == [3]
    assert postings.newest(found, 3, 5) == []


def test_pages_by_cursor_take_every_match_once(catalog_db):
    with catalog_db.transaction() as session:
        for i in range(25):
            titles.create_title(session, {"title": f"Hikayat Melayu {i}"}, SYSTEM)
    seen, cursor = [], None
    while True:
        with catalog_db.reading() as session:
            params = {"q": "hikayat", "limit": 10, **({"cursor": cursor} if cursor else {})}
            page = titles.search_titles(session, params)
        assert page["total"] == 25
        seen += [t["id"] for t in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 25
    assert seen == sorted(seen, reverse=True)


def test_a_prefix_never_matches_facet_tokens_and_a_too_broad_one_is_refused(
    catalog_db, monkeypatch
):
    with catalog_db.transaction() as session:
        titles.create_title(session, {"title": "Zaman Kolonial"}, SYSTEM)
        titles.create_title(session, {"title": "Kota Tua"}, SYSTEM)
    with catalog_db.reading() as session:
        assert titles.search_titles(session, {"q": "z*"})["total"] == 1
        assert titles.search_titles(session, {"q": "k*"})["total"] == 2
    monkeypatch.setattr(postings, "MAX_PREFIX_WORDS", 1)
    with catalog_db.reading() as session, pytest.raises(ValidationFailed) as refused:
        titles.search_titles(session, {"q": "ko*"})  # kolonial, kota
    assert "longer prefix" in str(refused.value)
    assert refused.value.details["fields"]["q"]


def test_concurrent_writers_sharing_words_lose_nothing(catalog_db):
    errors = []

    def writer(n: int) -> None:
        try:
            for i in range(8):
                with catalog_db.transaction() as session:
                    titles.create_title(session, {"title": f"Danau Kerinci {n} {i}"}, SYSTEM)
        except Exception as exc:  # reported below, with the thread's failure
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with catalog_db.reading() as session:
        assert titles.search_titles(session, {"q": "danau kerinci"})["total"] == 32
        assert stored_index(session) == index_of_documents(session)


def test_a_write_leaves_its_words_pending_and_folding_them_changes_no_answer(catalog_db):
    with catalog_db.transaction() as session:
        made = [
            titles.create_title(session, {"title": f"Tenun Siulak {i}"}, SYSTEM) for i in (1, 2)
        ]
        titles.update_title(session, made[1]["id"], {"title": "Tenun Songket"}, SYSTEM)
    with catalog_db.reading() as session:
        before = titles.search_titles(session, {"q": "tenun", "facets": True})
        assert session.scalar(select(func.count()).select_from(PendingPosting)) > 0
        assert [t["id"] for t in titles.search_titles(session, {"q": "siulak"})["items"]] == [
            made[0]["id"]
        ]
    with catalog_db.transaction() as session:
        assert postings.merge_pending(session, limit=3) == 3  # a batch at a time
    with catalog_db.transaction() as session:
        while postings.merge_pending(session, limit=3):
            pass
    with catalog_db.reading() as session:
        assert session.scalar(select(func.count()).select_from(PendingPosting)) == 0
        assert titles.search_titles(session, {"q": "tenun", "facets": True}) == before
        assert stored_index(session) == index_of_documents(session)


def test_the_folder_takes_all_there_is_and_goes_on_only_after_a_full_batch(catalog_db):
    with catalog_db.transaction() as session:
        for n in range(3):  # each with its words and facet tokens pending
            titles.create_title(session, {"title": f"Kerinci {n}"}, SYSTEM)
    with catalog_db.reading() as session:
        waiting = session.scalar(select(func.count()).select_from(PendingPosting))
    folder = postings.Folder(catalog_db.transaction, batch=waiting - 1)
    assert folder.run_once() == waiting - 1  # a full batch: the loop goes on
    assert folder.run_once() == 0  # the last row: the loop waits for the next gather
    with catalog_db.reading() as session:
        assert session.scalar(select(func.count()).select_from(PendingPosting)) == 0
        assert stored_index(session) == index_of_documents(session)


def test_a_word_gained_and_lost_before_it_is_folded_is_not_found(catalog_db):
    with catalog_db.transaction() as session:
        made = titles.create_title(session, {"title": "Pantun Kerinci"}, SYSTEM)
        titles.update_title(session, made["id"], {"title": "Syair Kerinci"}, SYSTEM)
        titles.update_title(session, made["id"], {"title": "Pantun Kerinci"}, SYSTEM)
        titles.withdraw_title(session, made["id"], SYSTEM)
    with catalog_db.reading() as session:
        assert titles.search_titles(session, {"q": "pantun"})["total"] == 0
        assert titles.search_titles(session, {"q": "syair"})["total"] == 0
    with catalog_db.transaction() as session:
        postings.merge_pending(session)
    with catalog_db.reading() as session:
        assert titles.search_titles(session, {"q": "pantun"})["total"] == 0
        assert stored_index(session) == index_of_documents(session)


def test_the_migration_indexes_titles_already_there(base_config, database_url):
    config = {**base_config, "catalog": {"DATABASE_URL": database_url}}
    upgrade(CATALOG, config, "0005")
    db = open_database(database_url, Base.metadata)
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO titles (seq, material_type, title, authors, subjects, language,"
                " search_doc, created_by, created_at, updated_at, version) VALUES"
                " (7, 'book', 'Tambo Alam Kerinci', '[]', '[]', 'ind',"
                " 'tambo alam kerinci zqall zqtypebook zqlangind', 'test', 0, 0, 1)"
            )
        )
    upgrade(CATALOG, config)
    with db.reading() as session:
        found = titles.search_titles(session, {"q": "tambo kerinci", "type": "book"})
    assert [t["id"] for t in found["items"]] == ["T000007"]
    db.engine.dispose()
