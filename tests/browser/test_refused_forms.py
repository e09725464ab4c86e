"""A refused form on a public page, after GOV.UK's pattern, in Indonesian and in
English: a summary at the top linking to each field to correct, the reason beside
the field in plain words (never the service's developer text), and what was typed
kept. The registration form (fields the service refused, the same person twice),
and the door, where a branch's tablet meets another branch's code."""

import datetime as dt

from playwright.sync_api import expect

from tests.browser.test_programmes import PHONE, fits_the_screen, storytime

DEVELOPER_TEXT = ("Not an Indonesian", "already registered.", "may not act", "Length must")


def shows_no_developer_text(page) -> None:
    html = page.content()
    assert not [text for text in DEVELOPER_TEXT if text in html]


def fill(page, name: str, contact: str, name_label: str, contact_label: str) -> None:
    page.get_by_label(name_label).fill(name)
    page.get_by_label(contact_label).fill(contact)


def test_a_registration_refused_field_by_field_in_indonesian(page, page_requests, platform):
    programme = storytime(platform)
    occurrence = programme["occurrences"][0]["id"]
    page.set_viewport_size(PHONE)
    page.goto(f"/acara/{programme['id']}")
    fill(page, "", "12345", "Nama", "Nomor HP/WhatsApp atau e-mail")
    page.get_by_label("Kelompok umur").select_option("child")
    with page.expect_response(f"**/acara/daftar/{occurrence}*") as answer:
        page.get_by_role("button", name="Daftar").click()
    assert answer.value.status == 400
    expect(page.locator("html")).to_have_attribute("lang", "id")

    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Ada yang perlu diperbaiki")
    links = summary.get_by_role("link")
    expect(links).to_have_count(2)
    expect(links.nth(0)).to_have_attribute("href", f"#name-{occurrence}")
    expect(page.locator(f"#error-name-{occurrence}")).to_have_text("Tulis nama Anda.")
    contact = page.locator(f"#contact-{occurrence}")
    expect(page.locator(f"#error-contact-{occurrence}")).to_contain_text("diawali 08 atau +628")
    expect(contact).to_have_attribute("aria-invalid", "true")
    expect(contact).to_have_value("12345")  # what was typed is kept
    expect(page.get_by_label("Kelompok umur")).to_have_value("child")
    shows_no_developer_text(page)
    assert fits_the_screen(page)

    summary.get_by_role("link", name="diawali 08").click()
    expect(page).to_have_url(
        f"{platform.url}/acara/daftar/{occurrence}?lang=id#contact-{occurrence}"
    )
    fill(page, "Putri Ayu", "0812-7455-0401", "Nama", "Nomor HP/WhatsApp atau e-mail")
    page.get_by_role("button", name="Daftar").click()
    expect(page.locator(".state")).to_have_text("TERDAFTAR")
    assert page_requests.elsewhere(platform.url) == []


def test_the_same_person_twice_is_told_so_in_english(page, page_requests, platform):
    programme = storytime(platform)
    occurrence = programme["occurrences"][0]["id"]
    person = {"name": "Yusuf Hidayat", "contact": "yusuf@contoh.id"}
    made = platform.post(f"/v1/events/occurrences/{occurrence}/registrations", key="", json=person)
    assert made.status_code == 201, made.text
    page.set_viewport_size(PHONE)
    page.goto(f"/acara/{programme['id']}?lang=en")
    fill(page, "Yusuf Hidayat", "Yusuf@Contoh.id", "Name", "Mobile/WhatsApp number or e-mail")
    page.get_by_role("button", name="Register").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#error-summary")).to_contain_text("There is a problem")
    expect(page.locator(f"#error-contact-{occurrence}")).to_have_text(
        "This mobile number or e-mail address is already registered for this session. "
        "Open the link of your first registration to see it."
    )
    expect(page.get_by_label("Name")).to_have_value("Yusuf Hidayat")
    expect(page.get_by_label("Mobile/WhatsApp number or e-mail")).to_have_value("Yusuf@Contoh.id")
    page.get_by_label("Mobile/WhatsApp number or e-mail").fill("0812 7455")
    page.get_by_role("button", name="Register").click()
    expect(page.locator(f"#error-contact-{occurrence}")).to_contain_text(
        "Enter a mobile number that starts with 08 or +628"
    )
    expect(page.get_by_label("Name")).to_have_value("Yusuf Hidayat")
    shows_no_developer_text(page)
    assert fits_the_screen(page)
    assert page_requests.elsewhere(platform.url) == []


def elsewhere_code(platform) -> str:
    """A registration's code at the central library (SPN)."""
    start = dt.datetime.combine(dt.date.today() + dt.timedelta(days=3), dt.time(14))
    plan = {
        "programme_type": "book_discussion",
        "title": "Diskusi Buku: Laskar Pelangi",
        "audience": "adults",
        "branch": "SPN",
        "capacity": 20,
        "presenter": {"name": "Komunitas Baca Kerinci"},
        "schedule": {"starts_at": start.isoformat(), "duration_minutes": 90},
    }
    made = platform.post("/v1/events/programmes", json=plan).json()
    moved = platform.post(
        f"/v1/events/programmes/{made['id']}/transitions", json={"to": "published"}
    )
    occurrence = moved.json()["occurrences"][0]["id"]
    person = {"name": "Rudi Hartono", "contact": "0812-7455-0501"}
    answer = platform.post(
        f"/v1/events/occurrences/{occurrence}/registrations", key="", json=person
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["items"][0]["code"]


def test_the_door_names_the_branches_when_a_code_is_anothers(browser, platform):
    code = elsewhere_code(platform)
    key = platform.new_key("Tablet Pintu Kumun Debai", "branch", "--branch", "KMN")
    tablet = browser.new_context(
        base_url=platform.url, extra_http_headers={"Authorization": f"Bearer {key}"}
    )
    try:
        door = tablet.new_page()
        door.set_default_timeout(15_000)
        door.set_viewport_size(PHONE)
        door.goto("/pintu")
        door.get_by_label("Masukkan atau pindai kode").fill(code.lower())
        door.get_by_role("button", name="Cari").click()
        expect(door.locator("#error-summary")).to_be_visible()
        expect(door.locator("#error-code-input")).to_have_text(
            "Kode ini untuk kegiatan di Perpustakaan Kota Sungai Penuh (Pusat). Perangkat ini "
            "hanya mencatat kehadiran di Perpustakaan Cabang Kumun Debai."
        )
        expect(door.get_by_label("Masukkan atau pindai kode")).to_have_value(code)
        shows_no_developer_text(door)
        assert fits_the_screen(door)

        assert door.goto(f"/pintu?code={code}&lang=en").status == 403
        expect(door.locator("#error-code-input")).to_have_text(
            "This code is for a programme at Perpustakaan Kota Sungai Penuh (Pusat). This "
            "device checks people in at Perpustakaan Cabang Kumun Debai only."
        )
        expect(door.get_by_label("Enter or scan a code")).to_have_value(code)
        shows_no_developer_text(door)
    finally:
        tablet.close()
