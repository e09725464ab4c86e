"""Community choice in public, over HTTP on the running platform: a branch follows the
acquisitions its readers' suggestions became (GET /v1/catalog/acquisitions) and links
the book it received to its order; people suggest, vote and follow a suggestion's way
to the shelf on the pages /usulan, and every bad input gets a page in their language
that says what to do next, never a JSON body or a 500, and changes nothing."""

import re
from urllib.parse import quote

import pytest

from chassis.pagination import encode_cursor
from tests.platform import on_the_shared_platform
from tests.support import wait_for

platform = on_the_shared_platform()
TOO_LONG = "x" * 501


@pytest.fixture(scope="module")
def keys(platform):
    return {
        "kmn": platform.new_key("Cabang Kumun Debai (usulan)", "branch", "--branch", "KMN"),
        "spn": platform.new_key("Perpustakaan Pusat (usulan)", "branch", "--branch", "SPN"),
    }


def html(answer, status: int) -> str:
    assert answer.status_code == status, answer.text[:500]
    assert answer.headers["content-type"].startswith("text/html")
    assert '{"error"' not in answer.text  # never the JSON error body
    return answer.text


def suggestions(platform) -> list[tuple]:
    """Every suggestion's id and votes (what a refused form or vote would change)."""
    listed = platform.get("/v1/feedback/suggestions", key="", params={"limit": 200}).json()
    return [(s["id"], s["votes"]) for s in listed["items"]]


def form_value(page: str, name: str) -> str:
    return re.search(rf'name="{name}" id="{name}"[^>]* value="([^"]*)"', page).group(1)


def test_a_branch_finds_its_acquisition_and_links_the_book_it_received(platform, keys):
    book = {"kind": "collection", "member": "KMN-2026-4101", "title": "Laut Bercerita",
            "authors": ["Leila S. Chudori"], "branch": "KMN"}  # fmt: skip
    sid = platform.post("/v1/feedback/suggestions", key="", json=book).json()["id"]
    assert platform.post(f"/v1/feedback/suggestions/{sid}/approve").ok

    def ours(key, **params):
        listed = platform.get("/v1/catalog/acquisitions", key=key, params=params)
        assert listed.status_code == 200, listed.text
        return [a for a in listed.json()["items"] if a["suggestion_id"] == sid]

    (ordered,) = wait_for(lambda: ours(keys["kmn"], status="on_order"), timeout=20)
    assert (ordered["title"], ordered["branch"], ordered["received_at"]) == (
        "Laut Bercerita", "KMN", None
    )  # fmt: skip
    assert ours(keys["spn"]) == []  # another branch's
    refused = platform.get("/v1/catalog/acquisitions", key=keys["kmn"], params={"branch": "SPN"})
    assert refused.status_code == 403
    # feedback's answer names the order too, once it has heard of it
    suggestion = wait_for(
        lambda: platform.get(f"/v1/feedback/suggestions/{sid}", key="").json()["acquisition_id"]
    )
    assert suggestion == ordered["id"]
    title = platform.post(
        "/v1/catalog/titles",
        key=keys["kmn"],
        json={"title": "Laut Bercerita", "authors": ["Leila S. Chudori"],
              "acquisition_ref": ordered["id"]},
    )  # fmt: skip
    assert title.status_code == 201, title.text
    (received,) = ours(None, status="received")  # headquarters sees every branch's
    assert (received["title_id"], received["status"]) == (title.json()["id"], "received")
    assert received["received_at"]
    done = wait_for(
        lambda: (
            platform.get(f"/v1/feedback/suggestions/{sid}", key="").json()["stage"] == "fulfilled"
        ),
        timeout=20,
    )
    assert done
    page = html(platform.get(f"/usulan/{sid}", key=""), 200)
    assert f'href="/katalog/{title.json()["id"]}?lang=id"' in page
    assert "Sudah dikatalog; belum ada eksemplar di rak" in page  # no copy yet
    # the copy the branch adds ends the way there: the branch by its name
    copy = {"barcode": f"KMN-{sid}", "branch": "KMN", "status": "available"}
    added = platform.post(f"/v1/catalog/titles/{title.json()['id']}/items", key=keys["kmn"],
                          json=copy)  # fmt: skip
    assert added.status_code == 201, added.text
    shelved = lambda: platform.get(f"/v1/feedback/suggestions/{sid}", key="").json()  # noqa: E731
    assert wait_for(lambda: shelved()["shelved_at"] == ["KMN"]), shelved()
    page = html(platform.get(f"/usulan/{sid}", key=""), 200)
    assert "Ada di rak Perpustakaan Cabang Kumun Debai" in page
    assert f"Dipesan (pesanan {ordered['id']})" in page
    assert 'id="suggestion-form"' not in page  # decided: no more votes


def test_suggest_from_a_prefilled_link_then_vote_once_per_card(platform):
    link = "/usulan/baru?judul=" + quote("Cantik Itu Luka") + "&pengarang=Eka+Kurniawan"
    form = html(platform.get(link + "&isbn=9786020332956", key=""), 200)
    assert form_value(form, "title") == "Cantik Itu Luka"
    assert form_value(form, "authors") == "Eka Kurniawan"
    assert form_value(form, "isbn") == "9786020332956"
    assert "Usulkan judul" in form

    sent = {"title": "Cantik Itu Luka", "authors": "Eka Kurniawan", "isbn": "9786020332956",
            "branch": "KMN", "member": "KMN-2026-4201", "contact": "0812-7400-4201"}  # fmt: skip
    made = html(platform.post("/usulan/baru", key="", data=sent), 201)
    sid = re.search(r'action="/usulan/(SUG\d+)\?lang=id"', made).group(1)
    assert "Terima kasih!" in made and "Menunggu dukungan" in made
    listed = html(platform.get("/usulan", key=""), 200)
    assert f'href="/usulan/{sid}?lang=id"' in listed and "Perpustakaan Cabang Kumun Debai" in listed

    again = html(platform.post(f"/usulan/{sid}", key="", data={"member": "KMN-2026-4201"}), 409)
    assert 'href="#member"' in again and "setiap kartu dihitung sekali" in again
    assert form_value(again, "member") == "KMN-2026-4201"  # what was typed is kept
    other = html(platform.post(f"/usulan/{sid}?lang=en", key="", data={"member": "KMN-4202"}), 200)
    assert "Your vote is counted" in other and '<dd id="votes">2</dd>' in other
    assert (sid, 2) in suggestions(platform)

    idea = {"topic": "Kelas menulis cerpen", "programme_type": "creative_class",
            "audience": "teens", "branch": "KMN", "member": "KMN-2026-4203"}  # fmt: skip
    made = html(platform.post("/usulan/baru?jenis=acara&lang=en", key="", data=idea), 201)
    assert "Programme idea" in made and "Kelas menulis cerpen" in made
    ideas = html(platform.get("/usulan", key="", params={"kind": "programme"}), 200)
    assert "Kelas menulis cerpen" in ideas and "Cantik Itu Luka" not in ideas


def test_bad_input_gets_a_page_saying_what_next_and_changes_nothing(platform):
    before = suggestions(platform)
    # an empty title and card, a bad contact: each named at the top and by its field
    empty = {"title": "", "isbn": "978-602-03-3295-6", "member": "", "contact": "0748 21234"}
    page = html(platform.post("/usulan/baru", key="", data=empty), 400)
    assert page.index('id="error-summary"') < page.index('id="suggestion-form"')
    for field in ("title", "member", "contact"):
        assert f'href="#{field}"' in page and f'id="error-{field}"' in page
    assert "Tulis judul bukunya." in page and "Tulis nomor kartu anggota" in page
    assert form_value(page, "isbn") == "978-602-03-3295-6"
    assert form_value(page, "contact") == "0748 21234"
    # too long, in English
    long = {"title": TOO_LONG, "member": "KMN-2026-4301"}
    page = html(platform.post("/usulan/baru?lang=en", key="", data=long), 400)
    assert "Write the title in at most 500 characters." in page
    assert "There is a problem" in page and 'lang="en"' in page
    # a programme idea with nothing chosen
    page = html(platform.post("/usulan/baru?jenis=acara", key="", data={"member": "K-1"}), 400)
    for field in ("topic", "programme_type", "audience", "branch"):
        assert f'href="#{field}"' in page
    assert suggestions(platform) == before

    # an unknown or malformed id, in the reader's language
    for sid in ("SUG999999", "bukan-usulan", "SUG0000001"):
        page = html(platform.get(f"/usulan/{sid}", key=""), 404)
        assert "Tidak ada usulan" in page and 'href="/usulan?lang=id"' in page
    page = html(platform.post("/usulan/SUG999999?lang=en", key="", data={"member": "K-77"}), 404)
    assert "There is no suggestion SUG999999" in page
    # a vote for a decided suggestion (the demo's SUG000003 is rejected), a bad contact,
    # a form too large to read
    page = html(platform.post("/usulan/SUG000003", key="", data={"member": "KMN-2026-4401"}), 409)
    assert "Dukungan sudah ditutup" in page and 'href="/usulan/SUG000003?lang=id"' in page
    sid = suggestions(platform)[0][0]
    bad = {"member": "KMN-2026-4402", "contact": "rina.marlina@"}
    page = html(platform.post(f"/usulan/{sid}", key="", data=bad), 400)
    assert 'href="#contact"' in page and form_value(page, "contact") == "rina.marlina@"
    huge = {"title": "x", "member": "KMN-2026-4403", "reason": "x" * 2_000_000}
    page = html(platform.post("/usulan/baru", key="", data=huge), 413)
    assert "Formulir tidak dapat dibaca" in page
    # a list page past the end, a cursor never given out, a state that is none
    past = encode_cursor({"seq": 1})
    page = html(platform.get("/usulan", key="", params={"cursor": past}), 404)
    assert "melewati akhir daftar" in page and "Kembali ke halaman pertama" in page
    for params in ({"cursor": "bukan-kursor"}, {"status": "hilang"}):
        page = html(platform.get("/usulan", key="", params={**params, "lang": "en"}), 400)
        assert "Start again from the first page." in page
    assert suggestions(platform) == before
