"""Surveys, tickets and suggestions over HTTP, on the running platform (on SQLite:
PostgreSQL is exercised where it matters, by the domain's and the demo's tests on
both databases): the demo's year, refusals with their reason per question and nothing kept,
scopes by id, results as JSON, CSV and pages with their charts, and a suggestion
from a vote to the catalogue's shelf across the services, its supporters told by
headquarters' notifier."""

import datetime as dt
import json

import pytest

from tests.platform import on_the_shared_platform
from tests.support import Subscriber, bodies

platform = on_the_shared_platform()
# The demo answers surveys across the year up to the day it is loaded: the calendar
# year that holds the middle of that span holds half of it at least, whatever the
# date (the current year holds one day of it on 1 January).
YEAR = (dt.date.today() - dt.timedelta(days=182)).year


@pytest.fixture(scope="module")
def keys(platform):
    return {
        "kmn": platform.new_key("Cabang Kumun Debai", "branch", "--branch", "KMN"),
        "spn": platform.new_key("Perpustakaan Pusat", "branch", "--branch", "SPN"),
        "partner": platform.new_key("SD Negeri 4 Sungai Penuh", "partner", "--partner", "PTN0003"),
    }


def test_the_demo_year_and_its_results_as_json_csv_and_pages(platform, keys):
    year = platform.get("/v1/feedback/overview", params={"year": YEAR}).json()
    assert {b["branch"] for b in year["branches"]} == {"SPN", "PDT", "KMN", "HRW", "PSB"}
    assert all(b["satisfaction"]["grade"] in "ABCD" for b in year["branches"])
    own = platform.get("/v1/feedback/overview", params={"year": YEAR}, key=keys["kmn"]).json()
    assert [b["branch"] for b in own["branches"]] == ["KMN"]
    csv = platform.get("/v1/feedback/overview.csv", params={"year": YEAR})
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.lstrip("\ufeff").startswith("branch,responses,satisfaction_index")
    report = platform.get("/v1/feedback/overview/report", params={"year": YEAR})
    assert report.headers["content-type"].startswith("text/html")
    assert report.text.count("<svg") == 2 and "index-chart" in report.text
    assert "Perpustakaan Cabang Kumun Debai" in report.text  # a branch by its name
    campaigns = platform.get("/v1/feedback/campaigns", params={"limit": 200}).json()["items"]
    lq = next(c for c in campaigns if c["template"] == "layanan_perpustakaan")
    page = platform.get(f"/v1/feedback/campaigns/{lq['id']}/report", params={"lang": "en"})
    assert "Zone of tolerance" in page.text and "<svg" in page.text
    rows = platform.get(f"/v1/feedback/campaigns/{lq['id']}/results.csv").text.splitlines()
    assert len(rows) == 1 + 22
    # A mistyped report address (no campaign id's spelling): a browser gets a page that
    # says so, an API client the error body.
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    mistyped = platform.get("/v1/feedback/campaigns/xx/report", headers=browser)
    assert mistyped.status_code == 404 and "text/html" in mistyped.headers["content-type"]
    assert "Tidak ditemukan" in mistyped.text
    assert platform.get("/v1/feedback/campaigns/xx/report").json()["error"] == "NOT_FOUND"
    # a partner reads what it co-hosted (the demo's CMP000001 with PTN0003), nothing else
    assert platform.get("/v1/feedback/campaigns/CMP000001/results", key=keys["partner"]).ok
    other = platform.get(f"/v1/feedback/campaigns/{lq['id']}/results", key=keys["partner"])
    assert other.status_code == 403


def test_a_response_that_does_not_fit_is_refused_whole(platform, keys):
    made = platform.post(
        "/v1/feedback/campaigns",
        key=keys["kmn"],
        json={"template": "skm", "subject_type": "branch", "subject_id": "KMN-E2E",
              "title": "SKM KMN", "branch": "KMN", "closes_on": "2099-01-01"},
    )  # fmt: skip
    assert made.status_code == 201, made.text
    cid, token = made.json()["id"], made.json()["public_link"].removeprefix("/s/")
    answers = {f"u{i}": 4 for i in range(1, 10)}
    bad = platform.post(
        f"/v1/feedback/surveys/{token}/responses",
        key="",
        json={"answers": {**answers, "u3": 5, "u9": None, "extra": 1}},
    )
    assert bad.status_code == 400
    assert bad.json()["details"]["fields"] == {
        "u3": ["Must be from 1 to 4."],
        "u9": ["An answer is required."],
        "extra": ["No such question in this survey."],
    }
    assert platform.get(f"/v1/feedback/campaigns/{cid}").json()["responses"] == 0
    url = f"/v1/feedback/surveys/{token}/responses"
    assert platform.post(url, key="", json={"answers": answers}).status_code == 201
    assert platform.get(f"/v1/feedback/campaigns/{cid}/results").json()["satisfaction"] == {
        "index": 100.0, "grade": "A", "label": "Sangat Baik",
        "elements": {f"u{i}": 4.0 for i in range(1, 10)},
    }  # fmt: skip
    assert platform.post(f"/v1/feedback/campaigns/{cid}/close", key=keys["spn"]).status_code == 403
    assert platform.post(f"/v1/feedback/campaigns/{cid}/close", key=keys["kmn"]).ok
    closed = platform.post(url, key="", json={"answers": answers})
    assert closed.status_code == 410 and closed.json()["error"] == "GONE"
    assert platform.get(f"/s/{token}").status_code == 410
    # an invitation's link is answered once
    made = platform.post(
        "/v1/feedback/campaigns",
        json={"template": "nps", "subject_type": "branch", "subject_id": "KMN-E2E-NPS",
              "title": "NPS", "branch": "KMN", "closes_on": "2099-01-01", "public": False},
    ).json()  # fmt: skip
    links = platform.post(
        f"/v1/feedback/campaigns/{made['id']}/invitations", json={"respondents": ["REG000001"]}
    ).json()["items"]
    once = f"/v1/feedback/surveys/{links[0]['link'].removeprefix('/s/')}/responses"
    assert platform.post(once, key="", json={"answers": {"rekomendasi": 8}}).status_code == 201
    assert platform.post(once, key="", json={"answers": {"rekomendasi": 8}}).status_code == 409


def test_a_ticket_is_its_branchs_and_a_suggestion_reaches_the_shelf(platform, keys):
    receipt = platform.post(
        "/v1/feedback/tickets",
        key="",
        json={"category": "collection", "branch": "KMN", "message": "Buku Tere Liye habis.",
              "contact": "0812-7000-1234"},
    )  # fmt: skip
    assert receipt.status_code == 201 and set(receipt.json()) == {"id", "status"}
    tid = receipt.json()["id"]
    assert platform.get(f"/v1/feedback/tickets/{tid}", key=keys["spn"]).status_code == 403
    answer = {"to": "resolved", "response": "Dua eksemplar baru sudah dipesan."}
    moved = platform.post(f"/v1/feedback/tickets/{tid}/transitions", key=keys["kmn"], json=answer)
    assert moved.ok and moved.json()["status"] == "resolved"
    again = platform.post(f"/v1/feedback/tickets/{tid}/transitions", key=keys["kmn"], json=answer)
    assert again.status_code == 409

    subscriber = Subscriber(platform.env["AMQP_URI"])
    try:
        ordered = subscriber.bind("catalog", "acquisition_ordered")
        fulfilled_events = subscriber.bind("feedback", "suggestion_fulfilled")
        book = {"kind": "collection", "member": "KMN-2025-7777", "title": "Pulang",
                "authors": ["Tere Liye"], "isbn": "978-602-082-212-9", "branch": "KMN",
                "contact": "0812-7000-5678"}  # fmt: skip
        sid = platform.post("/v1/feedback/suggestions", key="", json=book).json()["id"]
        vote = f"/v1/feedback/suggestions/{sid}/votes"
        voter = {"member": "KMN-2025-8888", "contact": "Nur.Aini@Example.com"}
        assert platform.post(vote, key="", json=voter).json()["votes"] == 2
        again = {"member": "KMN-2025-8888", "contact": "0813-1111-2222"}
        assert platform.post(vote, key="", json=again).status_code == 409
        assert platform.post(vote, key="", json={"member": "KMN-2025-9999"}).ok
        assert (
            platform.post(f"/v1/feedback/suggestions/{sid}/approve", key=keys["kmn"]).status_code
            == 403
        )
        assert platform.post(f"/v1/feedback/suggestions/{sid}/approve").ok
        # the demo's approved suggestion may be ordered too: ours is the one naming it
        ours = [
            b["data"]
            for b in bodies(subscriber.drain(ordered, expect=1, timeout=20))
            if b["data"]["suggestion_id"] == sid
        ]
        (acquisition,) = ours
        assert acquisition["suggestion_id"] == sid
        title = platform.post(
            "/v1/catalog/titles",
            key=keys["kmn"],
            json={"title": "Pulang", "authors": ["Tere Liye"], "isbn": "9786020822129",
                  "acquisition_ref": acquisition["id"]},
        )  # fmt: skip
        assert title.status_code == 201, title.text
        (told,) = [
            b
            for b in bodies(subscriber.drain(fulfilled_events, expect=1, timeout=20))
            if b["data"]["suggestion_id"] == sid
        ]
    finally:
        subscriber.close()
    # the event counts who asked to be told, and names none of them
    assert (told["data"]["suggestion_id"], told["data"]["votes"]) == (sid, 3)
    assert told["data"]["asked_to_be_told"] == 2
    assert not any(
        secret in json.dumps(told) for secret in ("+6281270005678", "Nur.Aini", "KMN-2025")
    )
    done = platform.get(f"/v1/feedback/suggestions/{sid}", key="").json()
    assert (done["status"], done["fulfilled_by"]) == ("fulfilled", title.json()["id"])
    supporters = platform.get(f"/v1/feedback/suggestions/{sid}/supporters")
    assert supporters.status_code == 200, supporters.text
    assert supporters.json()["items"] == [
        {"contact": "+6281270005678", "channel": "phone"},
        {"contact": "Nur.Aini@example.com", "channel": "email"},
    ]


def open_suggestion(platform, member: str) -> str:
    """A suggestion of this test's own, open for votes (the demo's may have been
    decided by another module on the session's platform)."""
    book = {"kind": "collection", "member": member, "title": "Orang-Orang Biasa",
            "authors": ["Andrea Hirata"], "branch": "KMN"}  # fmt: skip
    made = platform.post("/v1/feedback/suggestions", key="", json=book)
    assert made.status_code == 201, made.text
    return made.json()["id"]


def test_only_headquarters_reads_supporters_contacts_once_fulfilled(platform, keys):
    # the demo's SUG000004 is fulfilled, SUG000003 rejected
    url = "/v1/feedback/suggestions/{}/supporters"
    found = platform.get(url.format("SUG000004"), params={"limit": 2})
    assert found.status_code == 200, found.text
    assert len(found.json()["items"]) == 2 and found.json()["next_cursor"]
    assert "KMN-20" not in found.text and "member" not in found.text
    for key, status in ((keys["kmn"], 403), (keys["partner"], 403), ("", 401)):
        assert platform.get(url.format("SUG000004"), key=key).status_code == status
    for sid, status in ((open_suggestion(platform, "KMN-2025-3434"), "submitted"),
                        ("SUG000003", "rejected")):  # fmt: skip
        early = platform.get(url.format(sid))
        assert early.status_code == 409 and early.json()["error"] == "CONFLICT"
        assert early.json()["details"] == {"status": status}
        assert "only once it is fulfilled" in early.json()["message"]


def test_a_bad_contact_is_a_400_naming_it_and_changes_nothing(platform):
    target = open_suggestion(platform, "KMN-2025-5656")
    before = platform.get("/v1/feedback/suggestions", params={"limit": 200}).json()["items"]
    book = {"kind": "collection", "member": "KMN-2025-1212", "title": "Cantik Itu Luka",
            "authors": ["Eka Kurniawan"], "branch": "KMN"}  # fmt: skip
    for contact in ("0748 21234", "rina.marlina@", "+1 202 555 0100", 812, ""):
        made = platform.post("/v1/feedback/suggestions", key="", json={**book, "contact": contact})
        voted = platform.post(
            f"/v1/feedback/suggestions/{target}/votes",
            key="",
            json={"member": "KMN-2025-1212", "contact": contact},
        )
        if contact == "":  # a blank field is no contact: the only one taken
            assert made.status_code == 201 and voted.ok
            continue
        for refused in (made, voted):
            assert refused.status_code == 400, refused.text
            assert refused.json()["error"] == "VALIDATION_FAILED"
            assert list(refused.json()["details"]["fields"]) == ["contact"]
    after = platform.get("/v1/feedback/suggestions", params={"limit": 200}).json()["items"]
    assert len(after) == len(before) + 1
    assert (
        next(s for s in after if s["id"] == target)["votes"]
        == next(s for s in before if s["id"] == target)["votes"] + 1
    )
