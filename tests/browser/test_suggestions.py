"""Community choice on a phone (390x844), as people meet it: the list of suggestions,
the form to suggest a title refused and corrected after GOV.UK's pattern, then the
new suggestion's page with its way to the shelf and its vote form; every control
thumb-sized, nothing sideways, nothing from another host."""

from playwright.sync_api import expect

from tests.browser.test_programmes import fits_the_screen

PHONE = {"width": 390, "height": 844}


def small_controls(page) -> list[str]:
    """The links, buttons, inputs and selects of the main content under 44x44 CSS px."""
    return page.evaluate(
        """() => [...document.querySelectorAll(
                 'main > :not(header):not(footer) :is(a, button, input, select, textarea)')]
             .filter(e => e.type !== 'hidden')
             .filter(e => { const r = e.getBoundingClientRect();
                            return r.height < 44 || r.width < 44; })
             .map(e => e.outerHTML.slice(0, 80))"""
    )


def test_suggest_a_title_on_a_phone_and_see_its_way(page, page_requests, platform):
    page.set_viewport_size(PHONE)
    page.goto("/usulan")
    expect(page.get_by_role("heading", level=1)).to_have_text("Usulan warga")
    assert fits_the_screen(page) and small_controls(page) == []
    page.get_by_label("Status").select_option("rejected")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator(".suggestions .stage").first).to_have_text("Tidak diterima")

    page.get_by_role("link", name="Usulkan judul").click()
    page.get_by_label("Pengarang (boleh kosong)").fill("Ahmad Tohari")
    page.get_by_label("Nomor kartu anggota").fill("PDT-2026-0390")
    with page.expect_response("**/usulan/baru*") as answer:
        page.get_by_role("button", name="Kirim usulan").click()
    assert answer.value.status == 400
    summary = page.locator("#error-summary")
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(page.locator("#error-title")).to_have_text("Tulis judul bukunya.")
    expect(page.get_by_label("Pengarang (boleh kosong)")).to_have_value("Ahmad Tohari")
    assert fits_the_screen(page) and small_controls(page) == []

    summary.get_by_role("link").click()
    expect(page.get_by_label("Judul", exact=True)).to_be_focused()
    page.get_by_label("Judul", exact=True).fill("Ronggeng Dukuh Paruk")
    page.get_by_role("button", name="Kirim usulan").click()
    expect(page.locator("#status")).to_contain_text("Terima kasih!")
    expect(page.locator("#stage")).to_have_text("Menunggu dukungan")
    expect(page.locator("#votes")).to_have_text("1")
    expect(page.get_by_role("button", name="Dukung")).to_be_visible()
    assert fits_the_screen(page) and small_controls(page) == []
    assert page_requests.elsewhere(platform.url) == []
