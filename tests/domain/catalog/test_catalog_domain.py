"""The catalogue's model on a migrated database (SQLite, then PostgreSQL): copies per
branch, branch-scoped writes, Indonesian search, facets, harvesting, acquisitions."""

import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import func, select

from chassis.context import SYSTEM, Caller
from chassis.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chassis.pagination import encode_cursor
from services.catalog import acquisitions, branches, demo, exchange, harvest, items, oai_pmh, titles
from services.catalog.contract import TITLE_ID
from services.catalog.oai_repository import CatalogRepository
from services.catalog.postings import pending
from tests.support import emitted, id_aliases, run

KMN = Caller("k-kmn", "branch", branch="KMN")
SPN = Caller("k-spn", "branch", branch="SPN")
PARTNER = Caller("k-unja", "partner", partner="UNJA")
MARC = "{http://www.loc.gov/MARC21/slim}"


@pytest.fixture
def db(catalog_db):
    with catalog_db.transaction() as session:
        for code in ("SPN", "KMN"):
            branches.put_branch(session, {"code": code, "name": f"Cabang {code}"}, SYSTEM)
            branches.put_location(session, code, {"code": "UMUM", "name": "Umum"}, SYSTEM)
    return catalog_db


def find(db, **params):
    with db.reading() as session:
        return titles.search_titles(session, params)


def new_title(db, caller=SYSTEM, **fields):
    return run(db, titles.create_title, {"title": "Buku", **fields}, caller)


def test_a_title_shows_its_availability_per_branch(db):
    t = new_title(db, title="Laskar Pelangi")
    run(db, items.add_item, t["id"], {"barcode": "SPN-1", "branch": "SPN"}, SPN)
    run(db, items.add_item, t["id"], {"barcode": "SPN-2", "branch": "SPN", "location": "UMUM"}, SPN)
    run(db, items.add_item, t["id"], {"barcode": "KMN-1", "branch": "KMN"}, KMN)
    run(db, items.change_status, "SPN-2", {"status": "on_loan"}, SPN)
    with db.reading() as session:
        shown = titles.get_title(session, t["id"])["availability"]
    assert shown == [
        {"branch": "KMN", "available": 1, "total": 1},
        {"branch": "SPN", "available": 1, "total": 2},
    ]
    (changed,) = emitted(db, "item_status_changed")
    assert changed["data"]["previous_status"] == "available"
    assert changed["data"]["status"] == "on_loan"
    assert len(emitted(db, "item_added")) == 3


def test_a_branch_key_changes_copies_only_at_its_own_branch(db):
    t = new_title(db)
    with pytest.raises(Forbidden):
        run(db, items.add_item, t["id"], {"barcode": "SPN-9", "branch": "SPN"}, KMN)
    run(db, items.add_item, t["id"], {"barcode": "SPN-9", "branch": "SPN"}, SPN)
    with pytest.raises(Forbidden):
        run(db, items.change_status, "SPN-9", {"status": "lost"}, KMN)
    with pytest.raises(Forbidden):
        run(db, items.add_item, t["id"], {"barcode": "KMN-9", "branch": "KMN"}, PARTNER)
    with db.reading() as session:
        assert items.get_item(session, "SPN-9")["status"] == "available"


def test_copies_are_listed_by_barcode_a_page_at_a_time_with_when_they_were_added(db):
    t = new_title(db)
    for barcode, branch in [("SPN-3", "SPN"), ("KMN-2", "KMN"), ("SPN-1", "SPN"), ("KMN-1", "KMN")]:
        run(db, items.add_item, t["id"], {"barcode": barcode, "branch": branch}, SYSTEM)
    run(db, items.change_status, "SPN-1", {"status": "lost"}, SPN)
    added = {e["data"]["barcode"]: e["data"] for e in emitted(db, "item_added")}
    listed, cursor = [], None
    while True:
        with db.reading() as session:
            found = items.list_items(session, {"limit": 3, "cursor": cursor}, SYSTEM)
        listed += found["items"]
        if not (cursor := found["next_cursor"]):
            break
    assert [i["barcode"] for i in listed] == sorted(added)  # every copy, once, in order
    for item in listed:  # added at the time its event tells, which a change leaves be
        assert item["created_at"] == added[item["barcode"]]["created_at"]
    lost = next(i for i in listed if i["barcode"] == "SPN-1")
    assert lost["status"] == "lost" and lost["updated_at"] > lost["created_at"]
    with db.reading() as session:  # a branch key: its own branch's copies
        own = items.list_items(session, {}, KMN)["items"]
        assert [i["barcode"] for i in own] == ["KMN-1", "KMN-2"]
        with pytest.raises(Forbidden):
            items.list_items(session, {"branch": "SPN"}, KMN)
        with pytest.raises(Forbidden):
            items.list_items(session, {}, PARTNER)
        with pytest.raises(ValidationFailed):  # a cursor it never gave out
            items.list_items(session, {"cursor": encode_cursor({"barcode": 7})}, SYSTEM)


def test_ids_that_cannot_be_a_copy_or_a_branch_are_not_found(db):
    with db.reading() as session:
        for barcode in ("SPN\x00-1", "SPN-1\n", "x", "\ud800abc"):
            with pytest.raises(NotFound):
                items.get_item(session, barcode)
    for code in ("KMN\x00", "KMN\n", "kmn"):
        with pytest.raises(NotFound):
            run(db, branches.put_location, code, {"code": "REF", "name": "Referensi"}, SYSTEM)


def test_only_a_titles_own_id_names_it_and_no_other_spelling_fails(db):
    made = new_title(db)
    copy = {"barcode": "SPN-ALIAS", "branch": "SPN"}
    for alias in id_aliases(made["id"]):
        with db.reading() as session:
            with pytest.raises(NotFound):
                titles.get_title(session, alias)
            with pytest.raises(NotFound):
                exchange.export_title(session, alias)
            assert harvest.get_record(session, alias) is None
        with pytest.raises(NotFound):
            run(db, titles.update_title, alias, {"title": "Bukan"}, SYSTEM)
        with pytest.raises(NotFound):
            run(db, titles.withdraw_title, alias, SYSTEM)
        with pytest.raises(NotFound):
            run(db, items.add_item, alias, copy, SYSTEM)
    with db.reading() as session:
        assert titles.get_title(session, made["id"]) == made


def test_only_an_acquisitions_own_id_is_a_reference_to_it(db):
    ordered = run(db, acquisitions.order_from_suggestion, {"suggestion_id": "S-1", "title": "x"})
    for alias in id_aliases(ordered["id"]):
        with pytest.raises(ValidationFailed) as refused:
            new_title(db, acquisition_ref=alias)
        assert "acquisition_ref" in refused.value.details["fields"]
    assert new_title(db, acquisition_ref=ordered["id"])["acquisition_ref"] == ordered["id"]


def test_copies_need_a_real_branch_location_title_and_a_new_barcode(db):
    t = new_title(db)
    cases = [
        ({"barcode": "X-001", "branch": "ZZZ"}, "branch"),
        ({"barcode": "X-001", "branch": "SPN", "location": "NOPE"}, "location"),
        ({"barcode": "x", "branch": "SPN"}, "barcode"),
        ({"barcode": "X-001", "branch": "SPN", "status": "borrowed"}, "status"),
    ]
    for payload, field in cases:
        with pytest.raises(ValidationFailed) as refused:
            run(db, items.add_item, t["id"], payload, SYSTEM)
        assert list(refused.value.details["fields"]) == [field]
    with pytest.raises(NotFound):
        run(db, items.add_item, "T999999", {"barcode": "X-001", "branch": "SPN"}, SYSTEM)
    run(
        db,
        items.add_item,
        t["id"],
        {"barcode": "X-001", "branch": "SPN", "location": "UMUM"},
        SYSTEM,
    )
    other = new_title(db)
    with pytest.raises(Conflict) as taken:
        run(db, items.add_item, other["id"], {"barcode": "X-001", "branch": "KMN"}, SYSTEM)
    assert taken.value.details == {"barcode": "X-001", "existing_title_id": t["id"]}
    assert len(emitted(db, "item_added")) == 1


def test_indonesian_roots_match_both_ways_and_english_words_as_written(db):
    a = new_title(db, title="Pengantar Ilmu Perpustakaan")
    b = new_title(db, title="Kepustakaan Melayu")
    c = new_title(db, title="Library Management", language="eng")
    ids = lambda q: {t["id"] for t in find(db, q=q)["items"]}  # noqa: E731
    assert ids("pustaka") == {a["id"], b["id"]}
    assert ids("perpustakaan") == {a["id"], b["id"]}
    assert ids("library") == {c["id"]}
    assert ids("management library") == {c["id"]}
    assert ids("perpus*") == {a["id"]}
    assert ids("PERPUSTAKAAN ilmu") == {a["id"]}


def test_filters_and_facets(db):
    a = new_title(db, title="Sejarah Kerinci", year=1984, subjects=["Sejarah Kerinci"])
    new_title(db, title="Sejarah Jambi", year=2010, subjects=["Sejarah Jambi"])
    new_title(db, title="Sejarah Dunia", year=2015, language="eng", material_type="magazine")
    run(db, items.add_item, a["id"], {"barcode": "KMN-5", "branch": "KMN"}, SYSTEM)
    assert find(db, q="sejarah")["total"] == 3
    assert find(db, q="sejarah", type="magazine")["total"] == 1
    assert find(db, q="sejarah", language="ind")["total"] == 2
    assert find(db, q="sejarah", year_from=2000, year_to=2012)["total"] == 1
    assert find(db, subject="sejarah kerinci")["items"][0]["id"] == a["id"]
    assert [t["id"] for t in find(db, available_at="KMN")["items"]] == [a["id"]]
    assert find(db, available_at="SPN")["total"] == 0
    facets = find(db, q="sejarah", facets=True)["facets"]
    assert {"value": "book", "count": 2} in facets["type"]
    assert {"value": "eng", "count": 1} in facets["language"]
    assert {"value": "sejarah kerinci", "count": 1} in facets["subject"]
    assert facets["branch"] == [{"value": "KMN", "count": 1}]
    assert facets["decade"] == [{"value": "2010", "count": 2}, {"value": "1980", "count": 1}]
    narrow = find(db, q="kerinci", facets=True)["facets"]
    assert narrow["language"] == [{"value": "ind", "count": 1}]  # counts of the matches only
    new_title(db, title="Tambo Kerinci lama", year=1850, language="ger")
    wider = find(db, q="kerinci", facets=True)["facets"]  # values the index holds, any of them
    assert {"value": "1850", "count": 1} in wider["decade"]
    assert {"value": "ger", "count": 1} in wider["language"]
    with pytest.raises(ValidationFailed):
        find(db, year_from=2020, year_to=2000)


def test_update_needs_the_current_version_and_emits_title_updated(db):
    t = new_title(db, title="Bumi Manusia", authors=["Pramoedya Ananta Toer"])
    changed = run(db, titles.update_title, t["id"], {"title": "Bumi Manusia", "year": 1980}, KMN)
    assert (changed["year"], changed["version"]) == (1980, 2)
    with pytest.raises(Conflict) as stale:
        run(db, titles.update_title, t["id"], {"title": "x", "version": 1}, KMN)
    assert stale.value.details["current_version"] == 2
    same = run(db, titles.update_title, t["id"], {"title": "Bumi Manusia", "year": 1980}, KMN)
    assert same["version"] == 2  # nothing changed: no new version, no event
    assert [e["data"]["version"] for e in emitted(db, "title_updated")] == [2]
    assert find(db, q="manusia")["total"] == 1
    assert find(db, q="pramoedya")["total"] == 0  # authors were replaced: a full update


def test_a_branch_rewrites_only_records_it_holds_or_no_branch_holds_yet(db):
    t = new_title(db, title="Kerinci dalam Sejarah")
    run(db, titles.update_title, t["id"], {"title": "Kerinci dalam Sejarah", "year": 1990}, KMN)
    run(db, items.add_item, t["id"], {"barcode": "SPN-31", "branch": "SPN"}, SPN)
    with pytest.raises(Forbidden) as refused:  # only SPN holds it now
        run(db, titles.update_title, t["id"], {"title": "Lain"}, KMN)
    assert refused.value.details["held_at"] == ["SPN"]
    assert (
        run(db, titles.update_title, t["id"], {"title": "Kerinci", "year": 1990}, SPN)["version"]
        == 3
    )
    assert run(db, titles.update_title, t["id"], {"title": "Kerinci Lama"}, SYSTEM)["version"] == 4
    run(db, items.add_item, t["id"], {"barcode": "KMN-31", "branch": "KMN"}, KMN)
    assert (
        run(db, titles.update_title, t["id"], {"title": "Kerinci", "year": 1991}, KMN)["year"]
        == 1991
    )
    with db.reading() as session:
        assert titles.get_title(session, t["id"])["version"] == 5


def test_withdrawn_titles_leave_search_but_stay_as_tombstones(db):
    t = new_title(db, title="Buku Usang")
    run(db, items.add_item, t["id"], {"barcode": "SPN-7", "branch": "SPN"}, SYSTEM)
    with pytest.raises(Forbidden):
        run(db, titles.withdraw_title, t["id"], SPN)
    gone = run(db, titles.withdraw_title, t["id"], SYSTEM)
    assert gone["withdrawn"] and gone["availability"] == [
        {"branch": "SPN", "available": 0, "total": 1}
    ]
    assert find(db, q="usang")["total"] == 0
    assert len(emitted(db, "title_withdrawn")) == 1
    with pytest.raises(Conflict, match="withdrawn"):
        run(db, items.add_item, t["id"], {"barcode": "SPN-8", "branch": "SPN"}, SYSTEM)
    with db.reading() as session:
        record = harvest.get_record(session, t["id"])
    assert record["deleted"] and record["title"] is None and "branch:SPN" in record["sets"]


def test_harvest_takes_everything_then_only_changes(db):
    made = [new_title(db, title=f"Hikayat {i}") for i in range(5)]
    seen, after = [], None
    while True:
        with db.reading() as session:
            page = harvest.harvest(session, {"limit": 2, "after": after})
        assert page["total"] == 5
        seen += [r["id"] for r in page["records"]]
        after = page["next"]
        if after is None:
            break
    assert seen == [t["id"] for t in made]
    last = page["records"][-1]["datestamp"]
    run(db, titles.update_title, made[1]["id"], {"title": "Hikayat baru"}, SYSTEM)
    with db.reading() as session:
        changed = harvest.harvest(session, {"since": last + 1e-6})
    assert [r["id"] for r in changed["records"]] == [made[1]["id"]]
    with db.reading() as session:
        books = harvest.harvest(session, {"set": "type:book"})
        assert books["total"] == 5
        with pytest.raises(ValidationFailed):
            harvest.harvest(session, {"set": "colour:blue"})


@pytest.mark.parametrize(
    "key", [{"t": 1.0, "s": 2**63}, {"t": 1.0, "s": 2**64}, {"t": 1e300, "s": 1}]
)
def test_a_harvest_cursor_beyond_any_datestamp_or_id_is_a_field_error(db, key):
    new_title(db)
    with db.reading() as session, pytest.raises(ValidationFailed) as err:
        harvest.harvest(session, {"after": encode_cursor(key)})
    assert "cursor" in err.value.details["fields"]


def harvested_holdings(db, since: float) -> dict[str, list[str]]:
    """Each title an incremental harvest of set branch:KMN brings: its 852 barcodes."""
    with db.reading() as session:
        page = harvest.harvest(session, {"since": since, "set": "branch:KMN", "marc": True})
    return {
        r["id"]: [
            sub.text
            for field in ET.fromstring(r["marcxml"]).iter(f"{MARC}datafield")
            if field.get("tag") == "852"
            for sub in field.iter(f"{MARC}subfield")
            if sub.get("code") == "p"
        ]
        for r in page["records"]
    }


def test_a_copy_is_indexed_only_where_it_makes_its_branch_one_with_an_available_copy(db):
    t = new_title(db, title="Sang Pemimpi")
    seq = TITLE_ID.parse(t["id"])
    found = lambda at: [h["id"] for h in find(db, q="pemimpi", available_at=at)["items"]]  # noqa: E731

    def add(barcode, branch, caller, **more):
        """Whether adding the copy told the index a word of the title's changed."""
        with db.reading() as session:
            before = session.scalar(select(func.count()).where(pending.c.seq == seq))
        run(db, items.add_item, t["id"], {"barcode": barcode, "branch": branch, **more}, caller)
        with db.reading() as session:
            return session.scalar(select(func.count()).where(pending.c.seq == seq)) != before

    assert not add("KMN-P1", "KMN", KMN, status="on_loan")  # none available there yet
    assert found("KMN") == []
    assert add("KMN-P2", "KMN", KMN)  # the first available at KMN
    assert found("KMN") == [t["id"]]
    assert not add("KMN-P3", "KMN", KMN)  # KMN had one already
    assert found("KMN") == [t["id"]]
    assert add("SPN-P1", "SPN", SPN)
    assert found("SPN") == [t["id"]] and found("KMN") == [t["id"]]


def test_a_copy_added_or_withdrawn_brings_its_title_into_the_next_harvest(db):
    made = new_title(db, title="Tambo Kerinci")
    with db.reading() as session:
        last = harvest.get_record(session, made["id"])["datestamp"]
    copy = {"barcode": "KMN-TAMBO-1", "branch": "KMN", "location": "UMUM"}
    run(db, items.add_item, made["id"], copy, KMN)
    assert harvested_holdings(db, last + 1e-6) == {made["id"]: ["KMN-TAMBO-1"]}

    with db.reading() as session:
        last = harvest.get_record(session, made["id"])["datestamp"]
    run(db, items.change_status, "KMN-TAMBO-1", {"status": "on_loan"}, KMN)
    assert harvested_holdings(db, last + 1e-6) == {}  # a loan leaves the record as it was
    run(db, items.change_status, "KMN-TAMBO-1", {"status": "withdrawn"}, KMN)
    assert harvested_holdings(db, last + 1e-6) == {made["id"]: []}


def test_an_approved_suggestion_becomes_one_acquisition_and_its_title_carries_the_reference(db):
    data = {"suggestion_id": "S-17", "title": "Negeri 5 Menara", "authors": ["Ahmad Fuadi"]}
    first = run(db, acquisitions.order_from_suggestion, data)
    again = run(db, acquisitions.order_from_suggestion, data)
    assert first == again and first["status"] == "on_order"
    assert len(emitted(db, "acquisition_ordered")) == 1
    t = new_title(db, title="Negeri 5 Menara", acquisition_ref=first["id"])
    (created,) = [e for e in emitted(db, "title_created") if e["subject"] == t["id"]]
    assert created["data"]["acquisition_ref"] == first["id"]
    # the acquisition's own events tell who follows acquisitions (feedback) of its title
    # and of each copy of it, so they need not read every title and copy
    (received,) = emitted(db, "acquisition_received")
    assert received["subject"] == first["id"]
    assert (received["data"]["status"], received["data"]["title_id"]) == ("received", t["id"])
    assert received["data"]["suggestion_id"] == "S-17" and received["data"]["received_at"]
    run(db, items.add_item, t["id"], {"barcode": "KMN-N5M-1", "branch": "KMN"}, KMN)
    other = new_title(db, title="Ranah 3 Warna")
    run(db, items.add_item, other["id"], {"barcode": "KMN-R3W-1", "branch": "KMN"}, KMN)
    (shelved,) = emitted(db, "acquisition_shelved")
    assert shelved["subject"] == first["id"]
    assert {k: shelved["data"][k] for k in ("id", "title_id", "branch", "barcode")} == {
        "id": first["id"], "title_id": t["id"], "branch": "KMN", "barcode": "KMN-N5M-1"
    }  # fmt: skip
    assert shelved["data"]["shelved_at"]
    with pytest.raises(ValidationFailed):
        new_title(db, title="x", acquisition_ref="ACQ999999")
    assert len(emitted(db, "acquisition_received")) == 1  # a refused title tells nothing


def test_a_branch_lists_its_own_acquisitions_and_headquarters_every_one(db):
    ordered = {
        code: run(db, acquisitions.order_from_suggestion,
                  {"suggestion_id": f"SUG-{code}", "title": f"Buku {code}", "branch": code})
        for code in ("KMN", "SPN", None)
    }  # fmt: skip
    new_title(db, title="Buku KMN", acquisition_ref=ordered["KMN"]["id"])

    def listed(caller, **params):
        with db.reading() as session:
            return acquisitions.list_acquisitions(session, params, caller)

    (own,) = listed(KMN)["items"]
    assert (own["id"], own["suggestion_id"], own["status"]) == (
        ordered["KMN"]["id"], "SUG-KMN", "received"
    )  # fmt: skip
    assert own["title_id"] and own["ordered_at"] and own["received_at"]
    assert listed(KMN, status="on_order")["items"] == []
    with pytest.raises(Forbidden):
        listed(KMN, branch="SPN")
    with pytest.raises(Forbidden):
        listed(PARTNER)
    everything = [a["suggestion_id"] for a in listed(SYSTEM, limit=2)["items"]]
    assert everything == ["SUG-None", "SUG-SPN"]  # newest first, a page at a time
    second = listed(SYSTEM, limit=2, cursor=listed(SYSTEM, limit=2)["next_cursor"])
    assert [a["suggestion_id"] for a in second["items"]] == ["SUG-KMN"]
    assert second["next_cursor"] is None
    spn = listed(SYSTEM, branch="SPN", status="on_order")["items"]
    assert [(a["branch"], a["received_at"]) for a in spn] == [("SPN", None)]
    with pytest.raises(ValidationFailed):
        listed(SYSTEM, status="lost")


def test_demo_collection_loads_once(catalog_db):
    assert demo.load_demo(catalog_db) == len(demo.TITLES)
    assert demo.load_demo(catalog_db) == 0
    with catalog_db.reading() as session:
        assert len(branches.list_branches(session)) == len(demo.BRANCHES)
        laskar = titles.search_titles(session, {"q": "laskar pelangi"})["items"][0]
    assert sum(a["total"] for a in laskar["availability"]) == 5


def test_oai_pmh_answers_from_the_catalogue_and_in_the_protocols_words(db):
    made = new_title(db, title="Hikayat Raja Pasai", subjects=["Sastra Melayu"])
    base = "https://perpustakaan.example/oai"
    with db.reading() as session:
        found = oai_pmh.handle(
            {"verb": ["GetRecord"], "identifier": [f"oai:pustaka.sungaipenuh:{made['id']}"],
             "metadataPrefix": ["oai_dc"]},
            CatalogRepository(session),
            base,
        )[1]  # fmt: skip
        refused = oai_pmh.handle(
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "colour:blue"},
            CatalogRepository(session),
            base,
        )[1]
    dc = "{http://purl.org/dc/elements/1.1/}"
    record = ET.fromstring(found)
    assert [e.text for e in record.iter(f"{dc}title")] == ["Hikayat Raja Pasai"]
    assert [e.text for e in record.iter(f"{dc}subject")] == ["Sastra Melayu"]
    error = ET.fromstring(refused).find("{http://www.openarchives.org/OAI/2.0/}error")
    assert error.get("code") == "noRecordsMatch"


def test_a_title_and_a_copy_read_as_written_and_what_is_not_there_is_not_found(db):
    """As the service reads them: each one statement (DatabaseSession.read_one)."""

    def read(fn, *args):
        return db.read_one(fn.__name__, lambda reader: fn(reader, *args))

    written = new_title(
        db, title="Tambo Alam Kerinci", authors=["Iskandar Zakaria"], subjects=["Sejarah"],
        isbn="978-602-082-212-9", description="Naskah kuno Kerinci.", year=1984,
    )  # fmt: skip
    assert read(titles.get_title, written["id"]) == written
    copy = run(db, items.add_item, written["id"], {"barcode": "KMN-TAK-1", "branch": "KMN"}, KMN)
    assert read(items.get_item, "KMN-TAK-1") == copy
    got = read(titles.get_title, written["id"])
    assert got["availability"] == [{"branch": "KMN", "available": 1, "total": 1}]
    assert {k: v for k, v in got.items() if k not in ("availability", "updated_at")} == {
        k: v for k, v in written.items() if k not in ("availability", "updated_at")
    }
    with db.reading() as session:  # a transaction's session reads them alike
        assert titles.get_title(session, written["id"]) == got
    for unknown in ("T999999", "judul", None):
        with pytest.raises(NotFound) as refused:
            read(titles.get_title, unknown)
        assert refused.value.details == {"id": unknown}
    for unknown in ("KMN-TAK-9", "bukan kode!"):
        with pytest.raises(NotFound) as refused:
            read(items.get_item, unknown)
        assert refused.value.details == {"barcode": unknown}
