"""The public catalogue on a phone (390x844), without a key: search, narrow by a
facet, open a title and see where its copies are; the controls are thumb-sized, the
search box's text 16 px, and nothing scrolls sideways."""

from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}
CONTROLS = "main a.button, main button, main input[type=search], .results a, ul.links a"
SMALL_CONTROLS = """() => [...document.querySelectorAll('CONTROLS')]
  .filter(e => { const r = e.getBoundingClientRect(); return r.height < 44 || r.width < 44; })
  .map(e => e.outerHTML.slice(0, 80))""".replace("CONTROLS", CONTROLS)


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_find_a_title_and_where_its_copies_are_on_a_phone(page, page_requests, platform):
    page.set_viewport_size(PHONE)
    page.goto("/katalog")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    box = page.get_by_label("Judul, pengarang, subjek, atau ISBN")
    assert box.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 16
    box.fill("perpustakaan")
    page.get_by_role("button", name="Cari").click()
    expect(page.locator("#total")).to_contain_text("judul ditemukan")
    assert fits_the_screen(page) and page.evaluate(SMALL_CONTROLS) == []

    page.locator("#facet-type a[href*='type=book&']").click()
    expect(page.locator(".active-filters")).to_contain_text("Buku")
    page.get_by_role("link", name="Pengantar Ilmu Perpustakaan").click()
    expect(page.locator("#title")).to_have_text("Pengantar Ilmu Perpustakaan")
    expect(page.locator("#copies .copy").first).to_contain_text("Perpustakaan")
    expect(page.get_by_role("link", name="Usulkan judul ini")).to_be_visible()
    assert fits_the_screen(page) and page.evaluate(SMALL_CONTROLS) == []

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Copies")).to_be_visible()

    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/katalog?q=" + "kata" * 500)
    expect(page.locator("#error-summary")).to_contain_text("Gunakan paling banyak 200")
    assert fits_the_screen(page)
    assert page_requests.elsewhere(platform.url) == []
