"""Every page of pages.PAGES, at a phone's width and a desk's, passes the same checks
(axe-core, no sideways scroll, thumb-sized controls, nothing from elsewhere), and
leaves its screenshots in tests/browser/screenshots/."""

import datetime as dt

import pytest

from tests.browser import pages
from tests.browser.test_certificates import certificate
from tests.browser.test_programmes import storytime
from tests.browser.test_surveys import campaign


@pytest.fixture(scope="module")
def sample(platform) -> dict:
    """The records the pages' paths name, made once for the module."""
    programme = storytime(platform, capacity=50, title="Dongeng Si Kancil Cerdik")
    occurrence = programme["occurrences"][0]["id"]
    person = {"name": "Dewi Lestari", "contact": "0812-7600-9999", "age_group": "adult"}
    made = platform.post(f"/v1/events/occurrences/{occurrence}/registrations", key="", json=person)
    assert made.status_code == 201, made.text
    series = storytime(platform, 50, "Kelas Menggambar Sabtu", "FREQ=WEEKLY;COUNT=3")
    pages.SCREENSHOTS.mkdir(exist_ok=True)
    return {
        "programme": programme["id"],
        "series": series["id"],
        "second_session": series["occurrences"][1]["id"],
        "ticket": made.json()["items"][0]["code"],
        "libqual_survey": campaign(platform, "layanan_perpustakaan", "KMN-LQ-PAGES")[1],
        "nps_survey": campaign(platform, "nps", "KMN-NPS-PAGES")[1],
        "certificate": certificate(platform, "Rina Marlina"),
        "libqual_campaign": max(  # the demo's, answered, not one a test opened
            platform.get(
                "/v1/feedback/campaigns", params={"template": "layanan_perpustakaan", "limit": 200}
            ).json()["items"],
            key=lambda c: c["responses"],
        )["id"],
        "year": dt.date.today().year,
        "suggestion": platform.get("/v1/feedback/suggestions").json()["items"][0]["id"],
        "keys": {
            "admin": platform.admin_key,
            "branch": platform.new_key("Tablet Pintu Kumun Debai", "branch", "--branch", "KMN"),
        },
    }


@pytest.mark.parametrize("checked", pages.PAGES, ids=lambda c: c.name)
def test_the_page_at_a_phones_and_a_desks_width(browser, platform, sample, checked):
    headers = {"Authorization": f"Bearer {sample['keys'][checked.key]}"} if checked.key else {}
    found = {}
    for size in pages.SIZES:
        context = browser.new_context(
            base_url=platform.url, viewport=size, extra_http_headers=headers
        )
        context.set_default_timeout(15_000)
        requests = []
        context.on("request", lambda r, log=requests: log.append(r.url))
        try:
            finding = pages.check(context.new_page(), checked, sample, platform.url, requests)
        finally:
            context.close()
        if finding:
            found[size["width"]] = finding
    assert not found, f"{checked.name}: {found}"


def test_the_check_finds_what_it_looks_for(browser, platform):
    """The harness itself, on a page made to fail: a small button, an input with a
    small font and no label, a picture without words, a block wider than the phone; a
    link in a sentence is fine."""
    context = browser.new_context(base_url=platform.url, viewport=pages.SIZES[0])
    try:
        page = context.new_page()
        page.goto("/masuk")  # a real page of the gateway, then made wrong
        page.evaluate(
            """() => { document.querySelector("main").insertAdjacentHTML("beforeend",
            '<button style="min-height:0;min-width:0;padding:0">x</button>'
            + '<input name="tiny" style="font-size:12px">'
            + '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
            + '<p>See <a href="#x">this</a>.</p><div style="width:600px">wide</div>') }"""
        )
        found = pages.findings(page, [], platform.url)
    finally:
        context.close()
    assert [v.split(" ")[0] for v in found.violations] == ["image-alt", "label"]
    assert found.too_wide > 0
    assert [s.split(":")[0].split(" ")[0:2] for s in found.small] == [
        ["button", '"x"'],
        ["input", '"tiny"'],
    ]
