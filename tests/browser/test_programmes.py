"""A community programme on a phone, as people meet it: find it on the calendar,
register with the form (no script), see the check-in code and its QR code; then at
the door a librarian's tablet (a branch key) enters the code, sees who it is, and
lets them in."""

import datetime as dt
import re

from playwright.sync_api import expect

PHONE = {"width": 360, "height": 740}


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def storytime(
    platform, capacity: int = 1, title: str = "Dongeng Kancil dan Buaya", rrule: str | None = None
) -> dict:
    start = dt.datetime.combine(dt.date.today() + dt.timedelta(days=2), dt.time(10))
    plan = {
        "programme_type": "storytime",
        "title": title,
        "description": "Mendongeng untuk anak-anak usia 4-8 tahun bersama orang tua.",
        "audience": "children",
        "branch": "KMN",
        "room": "Ruang Baca Anak",
        "capacity": capacity,
        "presenter": {"name": "Kak Dewi"},
        "schedule": {"starts_at": start.isoformat(), "duration_minutes": 60, "rrule": rrule},
    }
    made = platform.post("/v1/events/programmes", json=plan).json()
    moved = platform.post(
        f"/v1/events/programmes/{made['id']}/transitions", json={"to": "published"}
    )
    assert moved.ok, moved.text
    return moved.json()


def register(page, name: str, contact: str) -> None:
    page.get_by_label("Nama").fill(name)
    page.get_by_label("Nomor HP/WhatsApp atau e-mail").fill(contact)
    page.get_by_label("Kelompok umur").select_option("child")
    page.get_by_role("button", name="Daftar").click()


def test_register_on_a_phone_then_check_in_at_the_door(browser, page, page_requests, platform):
    programme = storytime(platform)
    page.set_viewport_size(PHONE)
    page.goto("/acara")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    # the branches are the events service's read model of the catalogue's, by name
    branch = page.get_by_label("Cabang").locator("option", has_text="Cabang Kumun Debai")
    expect(branch).to_have_attribute("value", "KMN")
    # The filter is a form the page's own policy lets it send; the other language's
    # link keeps what it asked for.
    page.get_by_label("Cabang").select_option("KMN")
    page.get_by_label("Untuk").select_option("children")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page).to_have_url(re.compile(r"branch=KMN.*audience=children"))
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"branch=KMN.*audience=children.*lang=en"))
    page.get_by_role("link", name="Bahasa Indonesia").click()
    expect(page.get_by_label("Jenis").locator("option[value=storytime]")).to_have_text("Mendongeng")
    page.get_by_role("link", name=programme["title"]).first.click()
    expect(page.locator("#title")).to_have_text(programme["title"])
    assert fits_the_screen(page)

    register(page, "Nadia Safitri", "0812-7455-0101")
    expect(page.locator(".state")).to_have_text("TERDAFTAR")
    code = page.locator(".code").inner_text()
    assert len(code) == 8
    expect(page.locator(".qr svg")).to_be_visible()
    assert fits_the_screen(page)

    # The one seat is taken: the next is told they wait; the same person twice is refused.
    page.goto(f"/acara/{programme['id']}")
    register(page, "Fajar Ramadhan", "0812-7455-0102")
    expect(page.locator(".state")).to_have_text("DAFTAR TUNGGU")
    waiting = page.locator(".code").inner_text()
    # The link kept opens the registration again, as it stands now.
    page.get_by_role("link", name="Simpan tautan ini").click()
    expect(page.locator("h1")).to_have_text("Pendaftaran Anda")
    expect(page.locator(".state")).to_have_text("DAFTAR TUNGGU")
    expect(page.locator(".code")).to_have_text(waiting)
    assert "Fajar" not in page.content()
    page.goto(f"/acara/{programme['id']}")
    register(page, "Nadia Safitri", "0812-7455-0101")
    expect(page.locator("#error-summary")).to_contain_text("sudah terdaftar untuk sesi ini")
    assert page_requests.elsewhere(platform.url) == []

    # At the door: the branch's tablet.
    key = platform.new_key("Meja Depan Kumun Debai", "branch", "--branch", "KMN")
    tablet = browser.new_context(
        base_url=platform.url, extra_http_headers={"Authorization": f"Bearer {key}"}
    )
    try:
        door = tablet.new_page()
        door.set_default_timeout(15_000)
        door.goto("/pintu")
        door.get_by_label("Masukkan atau pindai kode").fill(code.lower())
        door.get_by_role("button", name="Cari").click()
        expect(door.locator("#who")).to_have_text("Nadia Safitri")
        expect(door.locator("#status")).to_contain_text("TERDAFTAR - belum hadir")
        door.get_by_role("button", name="Catat hadir").click()
        expect(door.locator("#status")).to_contain_text("HADIR - silakan masuk")
        door.goto(f"/pintu?code={code}")
        expect(door.locator("#status")).to_contain_text("SUDAH HADIR")
        door.goto("/pintu?code=ZZZZZZZZ")
        expect(door.locator("#error-code-input")).to_contain_text(
            "Tidak ada pendaftaran dengan kode ZZZZZZZZ"
        )
    finally:
        tablet.close()
    assert page.goto("/pintu").status == 401  # the public's phone has no key
