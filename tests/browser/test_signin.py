"""A librarian's phone at the door, with no way to send a header: the door page asks
for the key, a wrong one is told so, the right one is kept as a cookie (never the
key itself), the door then checks a participant in by code, and signing out ends
it. Indonesian first, no script, nothing from elsewhere."""

from playwright.sync_api import expect

from tests.browser.test_programmes import PHONE, fits_the_screen, storytime


def registered_code(platform) -> str:
    occurrence = storytime(platform)["occurrences"][0]["id"]
    person = {"name": "Siti Rahmawati", "contact": "0812-7455-0301", "age_group": "child"}
    made = platform.post(f"/v1/events/occurrences/{occurrence}/registrations", key="", json=person)
    assert made.status_code == 201, made.text
    return made.json()["items"][0]["code"]


def sign_in(page, key: str) -> None:
    page.get_by_label("Kunci API").fill(key)
    page.get_by_role("button", name="Masuk").click()


def test_sign_in_on_a_phone_check_someone_in_and_sign_out(page, page_requests, platform):
    code = registered_code(platform)
    key = platform.new_key("HP Petugas Kumun Debai", "branch", "--branch", "KMN")
    page.set_viewport_size(PHONE)
    assert page.goto("/pintu").status == 401
    expect(page.locator("#status")).to_contain_text("masuk dulu dengan kunci Anda")
    assert fits_the_screen(page)

    sign_in(page, key.replace("_", "-"))
    expect(page.locator("#error-key")).to_contain_text("Kunci tidak dikenal")
    expect(page.locator("#error-summary").get_by_role("link")).to_have_attribute("href", "#key")
    assert page.context.cookies() == []

    sign_in(page, key)
    expect(page).to_have_url(platform.url + "/pintu")
    (cookie,) = page.context.cookies()
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert key not in cookie["value"]
    page.get_by_label("Masukkan atau pindai kode").fill(code.lower())
    page.get_by_role("button", name="Cari").click()
    expect(page.locator("#who")).to_have_text("Siti Rahmawati")
    expect(page.locator("#status")).to_contain_text("TERDAFTAR - belum hadir")
    page.get_by_role("button", name="Catat hadir").click()
    expect(page.locator("#status")).to_contain_text("HADIR - silakan masuk")
    assert fits_the_screen(page)

    page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(platform.url + "/masuk?lang=id")
    expect(page.get_by_label("Kunci API")).to_be_visible()
    assert page.context.cookies() == []
    assert page.goto(f"/pintu?code={code}").status == 401
    assert page_requests.elsewhere(platform.url) == []


def test_the_sign_in_page_in_english(page):
    page.goto("/masuk?lang=en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("API key").fill("pk_000000000000_wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#error-key")).to_contain_text("The key is unknown")
