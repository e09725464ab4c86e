"""Surveys, tickets and suggestions over HTTP, on the running platform (on SQLite:
PostgreSQL is exercised where it matters, by the domain's and the demo's tests on
both databases): the demo's year, refusals with their reason per question and nothing kept,
scopes by id, results as JSON, CSV and pages with their charts, and a suggestion
from a vote to the catalogue's shelf across the services."""

import datetime as dt

import pytest

from tests.platform import on_the_shared_platform
from tests.support import Subscriber, bodies, wait_for

platform = on_the_shared_platform()
YEAR = dt.date.today().year


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
    campaigns = platform.get("/v1/feedback/campaigns", params={"limit": 200}).json()["items"]
    lq = next(c for c in campaigns if c["template"] == "layanan_perpustakaan")
    page = platform.get(f"/v1/feedback/campaigns/{lq['id']}/report", params={"lang": "en"})
    assert "Zone of tolerance" in page.text and "<svg" in page.text
    rows = platform.get(f"/v1/feedback/campaigns/{lq['id']}/results.csv").text.splitlines()
    assert len(rows) == 1 + 22
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
        book = {"kind": "collection", "member": "KMN-2025-7777", "title": "Pulang",
                "authors": ["Tere Liye"], "isbn": "978-602-082-212-9", "branch": "KMN"}  # fmt: skip
        sid = platform.post("/v1/feedback/suggestions", key="", json=book).json()["id"]
        vote = f"/v1/feedback/suggestions/{sid}/votes"
        assert platform.post(vote, key="", json={"member": "KMN-2025-8888"}).json()["votes"] == 2
        assert platform.post(vote, key="", json={"member": "KMN-2025-8888"}).status_code == 409
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
    finally:
        subscriber.close()
    assert acquisition["suggestion_id"] == sid
    title = platform.post(
        "/v1/catalog/titles",
        key=keys["kmn"],
        json={"title": "Pulang", "authors": ["Tere Liye"], "isbn": "9786020822129",
              "acquisition_ref": acquisition["id"]},
    )  # fmt: skip
    assert title.status_code == 201, title.text

    def fulfilled():
        found = platform.get(f"/v1/feedback/suggestions/{sid}", key="").json()
        return found if found["status"] == "fulfilled" else None

    done = wait_for(fulfilled, timeout=20)
    assert done and done["fulfilled_by"] == title.json()["id"]
