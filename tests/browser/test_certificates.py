"""The certificate check a QR code opens, on a phone: /verify/<code> says valid or
revoked (when, why), for whom (the name only), the programme, dates and hours, in
Indonesian first and in English on request, from the gateway alone."""

from playwright.sync_api import expect

PHONE = {"width": 360, "height": 740}


def certificate(platform, holder: str) -> str:
    """A member of staff completes a one-session programme: their certificate's code."""
    person = platform.post(
        "/v1/people/staff", json={"name": holder, "branch": "KMN", "position": "terampil"}
    ).json()["id"]
    programme = {
        "kind": "workshop",
        "topic": "Workshop Literasi Informasi untuk Pelajar",
        "competencies": [{"competency": "LI-PENDIDIKAN", "level": 2}],
        "hours": 8,
        "trainer": {"name": "Tim Literasi Kota"},
        "capacity": 5,
        "sessions": [
            {
                "date": "2026-03-02",
                "start": "08:00",
                "end": "12:00",
                "venue": {"kind": "room", "branch": "KMN", "room": "Ruang Baca"},
            },
            {
                "date": "2026-03-03",
                "start": "08:00",
                "end": "12:00",
                "venue": {"kind": "room", "branch": "KMN", "room": "Ruang Baca"},
            },
        ],
    }
    pid = platform.post("/v1/people/programmes", json=programme).json()["id"]
    move = f"/v1/people/programmes/{pid}/transitions"
    platform.post(move, json={"to": "scheduled"})
    platform.post(f"/v1/people/programmes/{pid}/enrolments", json={"staff_id": person})
    platform.post(move, json={"to": "running"})
    for number in (1, 2):
        marks = {"session": number, "marks": [{"staff_id": person, "present": True}]}
        platform.post(f"/v1/people/programmes/{pid}/attendance", json=marks)
    assert platform.post(move, json={"to": "completed"}).ok
    (enrolment,) = platform.get(f"/v1/people/programmes/{pid}/enrolments").json()["items"]
    return enrolment["certificate"]


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_valid_certificate_reads_on_a_phone_in_either_language(page, page_requests, platform):
    code = certificate(platform, "Nur Aisyah Putri")
    page.set_viewport_size(PHONE)
    answer = page.goto(f"/verify/{code}")
    assert answer.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("#status")).to_contain_text("SAH")
    expect(page.locator("#holder")).to_have_text("Nur Aisyah Putri")
    expect(page.locator("#programme")).to_have_text("Workshop Literasi Informasi untuk Pelajar")
    expect(page.locator("#dates")).to_have_text("2 Maret 2026 – 3 Maret 2026")
    expect(page.locator("#hours")).to_have_text("8 JP")
    expect(page.locator("#code")).to_have_text(code)
    assert fits_the_screen(page)

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#status")).to_contain_text("VALID")
    expect(page.locator("#dates")).to_have_text("2 March 2026 – 3 March 2026")
    expect(page.get_by_text("Learning hours")).to_be_visible()
    assert fits_the_screen(page)
    assert page_requests.elsewhere(platform.url) == []


def test_a_revoked_certificate_says_when_and_why(page, page_requests, platform):
    code = certificate(platform, "Rizky Ramadhan")
    page.goto(f"/verify/{code}")  # checked once while valid: the gateway keeps it
    expect(page.locator("#status")).to_contain_text("SAH")
    revoked = platform.post(
        f"/v1/people/certificates/{code}/revoke", json={"reason": "Kehadiran tidak memenuhi syarat"}
    )
    assert revoked.ok, revoked.text
    page.set_viewport_size(PHONE)
    page.goto(f"/verify/{code}")
    status = page.locator("#status")
    expect(status).to_contain_text("DICABUT")
    expect(page.locator("#reason")).to_have_text("Alasan: Kehadiran tidak memenuhi syarat")
    expect(page.locator("#holder")).to_have_text("Rizky Ramadhan")
    page.goto(f"/verify/{code}?lang=en")
    expect(status).to_contain_text("REVOKED")
    expect(status).to_contain_text("This certificate was revoked on")
    assert page_requests.elsewhere(platform.url) == []


def test_an_unknown_code_is_a_not_found_page(page, platform):
    page.set_viewport_size(PHONE)
    answer = page.goto("/verify/ABCDEFGHJK")
    assert answer.status == 404
    expect(page.locator("#status")).to_contain_text("Sertifikat tidak ditemukan")
    answer = page.goto("/verify/<b>ABC</b>?lang=en")
    assert answer.status == 404
    expect(page.locator("#status")).to_contain_text(
        "There is no certificate with the code <b>ABC</b>"
    )
