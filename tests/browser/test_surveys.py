"""The survey form a link opens, on a phone: a LibQUAL+-structured service-quality
survey and an NPS survey filled in, sent with a mistake, shown again with the reason
next to the question and every answer kept, corrected, sent, thanked for, and
counted. Indonesian first, English on request, no script, nothing from elsewhere."""

from playwright.sync_api import expect

from services.feedback.builtin import LIBQUAL_ITEMS

PHONE = {"width": 360, "height": 740}


def campaign(platform, template: str, subject: str) -> tuple[str, str]:
    made = platform.post(
        "/v1/feedback/campaigns",
        json={
            "template": template,
            "subject_type": "branch",
            "subject_id": subject,
            "title": "Layanan Perpustakaan Cabang Kumun Debai",
            "branch": "KMN",
            "closes_on": "2099-12-31",
        },
    )
    assert made.status_code == 201, made.text
    return made.json()["id"], made.json()["public_link"]


def responses(platform, campaign_id: str) -> dict:
    return platform.get(f"/v1/feedback/campaigns/{campaign_id}/results").json()


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_service_quality_survey_is_corrected_and_counted(page, page_requests, platform):
    cid, link = campaign(platform, "layanan_perpustakaan", "KMN-LQ-BROWSER")
    page.set_viewport_size(PHONE)
    assert page.goto(link).status == 200
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("h1")).to_have_text("Layanan Perpustakaan Cabang Kumun Debai")
    expect(page.get_by_text("Jawaban Anda anonim")).to_be_visible()
    items = [qid for rows in LIBQUAL_ITEMS.values() for qid, *_ in rows]
    assert len(items) == 22
    for qid in items:
        for part, value in (("minimum", "5"), ("desired", "8"), ("perceived", "7")):
            if (qid, part) == ("ic3", "perceived"):
                continue  # forgotten: the form says so
            page.locator(f'input[name="{qid}.{part}"][value="{value}"]').check()
    page.locator('textarea[name="komentar"]').fill("Ruang baca nyaman, Wi-Fi kadang putus.")
    assert fits_the_screen(page)
    page.locator("#submit").click()

    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Ada yang perlu diperbaiki")
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(page.locator("#error-ic3")).to_contain_text("ketiga tingkat")
    expect(page.locator("#q-ic3")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".error")).to_have_count(1)
    # what was typed is still there
    expect(page.locator('input[name="as1.minimum"][value="5"]')).to_be_checked()
    expect(page.locator('input[name="ic3.desired"][value="8"]')).to_be_checked()
    expect(page.locator('textarea[name="komentar"]')).to_have_value(
        "Ruang baca nyaman, Wi-Fi kadang putus."
    )
    assert responses(platform, cid)["responses"] == 0  # nothing of it was kept
    page.locator('input[name="ic3.perceived"][value="4"]').check()
    page.locator("#submit").click()

    expect(page.locator("#heading")).to_have_text("Terima kasih!")
    found = responses(platform, cid)
    assert found["responses"] == 1
    ic3 = next(q for q in found["questions"] if q["id"] == "ic3")
    assert (ic3["adequacy_gap"], ic3["superiority_gap"]) == (-1.0, -4.0)
    assert found["comments"] == ["Ruang baca nyaman, Wi-Fi kadang putus."]
    assert page_requests.elsewhere(platform.url) == []


def test_an_nps_survey_in_english_keeps_the_reason_typed(page, page_requests, platform):
    cid, link = campaign(platform, "nps", "KMN-NPS-BROWSER")
    page.set_viewport_size(PHONE)
    page.goto(link)
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("How likely are you to recommend the library")).to_be_visible()
    page.locator('textarea[name="alasan"]').fill("Close to my school")
    page.locator("#submit").click()  # no score chosen

    expect(page.locator("#error-rekomendasi")).to_have_text("An answer is required.")
    expect(page.locator('textarea[name="alasan"]')).to_have_value("Close to my school")
    page.locator('input[name="rekomendasi"][value="9"]').check()
    page.locator("#submit").click()

    expect(page.locator("#heading")).to_have_text("Thank you!")
    found = responses(platform, cid)
    assert (found["responses"], found["nps"]) == (1, 100.0)
    assert fits_the_screen(page)
    assert page_requests.elsewhere(platform.url) == []
    assert page.goto("/s/tidak-ada-survei-seperti-ini").status == 404
