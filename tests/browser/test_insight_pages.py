"""Insight's pages as people meet them: the visitors' book on a tablet at a branch's
entrance, signed in once with the branch's key (a visitor taps why they came and
their age group; a day's count by hand), and headquarters' dashboard (charts drawn
on the server, each with its table and CSV; a branch key sees its own branch).
On a phone, Indonesian first; pages.PAGES checks each at a desk's width too, and
keeps their screenshots."""

import datetime as dt
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.browser.test_programmes import fits_the_screen
from tests.browser.test_signin import sign_in

PHONE = {"width": 390, "height": 844}
KMN_NAME = "Perpustakaan Cabang Kumun Debai"


def test_the_visitors_book_at_the_entrance(page, page_requests, platform):
    page.set_viewport_size(PHONE)
    key = platform.new_key("Tablet pintu masuk Kumun Debai", "branch", "--branch", "KMN")
    assert page.goto("/buku-tamu").status == 401  # signed in once, as the door page is
    sign_in(page, key)
    expect(page).to_have_url(platform.url + "/buku-tamu")
    expect(page.locator("h1")).to_have_text(f"Selamat datang di {KMN_NAME}")

    # Nothing tapped: told what to do, nothing counted.
    page.get_by_role("button", name="Catat kunjungan saya").click()
    expect(page.locator("#error-summary")).to_contain_text("Ketuk tujuan kunjungan Anda.")
    assert fits_the_screen(page)

    page.get_by_label("Membaca").check()
    page.get_by_label("Remaja").check()
    page.get_by_label("Nomor kartu anggota (jika ada)").fill("KMN-2026-0042")
    page.get_by_role("button", name="Catat kunjungan saya").click()
    expect(page.locator("#status")).to_contain_text("Terima kasih, selamat berkunjung!")
    expect(page.locator("#visits-today")).to_contain_text("Pengunjung hari ini:")
    assert "KMN-2026-0042" not in page.content()  # the form is empty for the next visitor
    for control in ("#record", "label.tile >> nth=0"):
        box = page.locator(control).bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, control
    assert fits_the_screen(page)

    # A day's count by hand, yesterday's (the tests' own clock, the library's day).
    page.get_by_role("link", name="Untuk petugas: isi hitungan harian manual").click()
    yesterday = dt.datetime.now(ZoneInfo("Asia/Jakarta")).date() - dt.timedelta(days=1)
    page.get_by_label("Tanggal").fill(yesterday.isoformat())
    page.locator("#count-studying-adult").fill("100001")
    page.get_by_role("button", name="Simpan hitungan").click()
    expect(page.locator("#error-summary")).to_contain_text("bilangan bulat dari 0 sampai 100000")
    page.locator("#count-studying-adult").fill("12")
    page.locator("#count-reading-child").fill("7")
    page.get_by_role("button", name="Simpan hitungan").click()
    expect(page.locator("#day-total")).to_contain_text("19 pengunjung")
    expect(page.locator("#count-reading-child")).to_have_value("7")  # kept, to correct
    assert fits_the_screen(page)
    day = {"from": yesterday.isoformat(), "to": yesterday.isoformat(), "branch": "KMN"}
    (counted,) = platform.get("/v1/insight/visits", params=day).json()["items"]
    assert counted["headcount"] and counted["by_purpose"] == {"studying": 12, "reading": 7}
    assert page_requests.elsewhere(platform.url) == []


def test_the_dashboard(browser, page, page_requests, platform):
    page.set_viewport_size(PHONE)
    headquarters = browser.new_context(
        base_url=platform.url,
        viewport=PHONE,
        extra_http_headers={"Authorization": f"Bearer {platform.admin_key}"},
    )
    try:
        tab = headquarters.new_page()
        tab.set_default_timeout(15_000)
        tab.on("request", lambda r: page_requests.append(r.url))
        assert tab.goto("/dasbor").status == 200
        expect(tab.locator("h1")).to_have_text("Dasbor kantor pusat")
        expect(tab.locator("#fresh")).to_contain_text("Data per")
        for view in ("training", "quality", "programmes", "collection", "visits"):
            section = tab.locator(f"#view-{view}")
            expect(section.locator("svg").first).to_be_visible()
            expect(section.locator("table tr").nth(1)).to_be_visible()
        gaps = tab.locator("#view-quality table th").all_inner_texts()
        assert gaps[1:4] == ["Pengaruh layanan", "Kontrol informasi", "Perpustakaan sebagai tempat"]
        staff = tab.locator("#view-training table th").all_inner_texts()
        assert "Pegawai pada tingkat yang disyaratkan jabatannya (%)" in staff
        copies = tab.locator("#view-collection table th").all_inner_texts()
        assert {"Eksemplar ditambahkan", "Eksemplar dimiliki hari ini"} <= set(copies)
        names = tab.locator("#view-training table td:first-child").all_inner_texts()
        assert KMN_NAME in names and "KMN" not in names  # branches by name
        csv_link = tab.locator("#view-visits a.csv")
        csv = headquarters.request.get(platform.url + csv_link.get_attribute("href"))
        assert csv.ok and csv.headers["content-type"].startswith("text/csv")
        assert csv.text().lstrip("\ufeff").splitlines()[0] == "Bulan,Kunjungan"
        assert fits_the_screen(tab)

        # A month no figure is kept for: the page says what to choose, in English too.
        assert tab.goto("/dasbor?from=1999-12&to=2000-01&lang=en").status == 400
        expect(tab.locator("#error-summary")).to_contain_text("Choose the first month")
        expect(tab.get_by_label("From (month)")).to_have_value("1999-12")
    finally:
        headquarters.close()

    # A branch's key: its own branch only.
    key = platform.new_key("Kepala Cabang Kumun Debai", "branch", "--branch", "KMN")
    page.goto("/dasbor")
    sign_in(page, key)
    expect(page.locator("h1")).to_have_text("Dasbor kantor pusat")
    rows = page.locator("#view-training table td:first-child").all_inner_texts()
    assert rows == [KMN_NAME]
    assert page_requests.elsewhere(platform.url) == []
