"""Every page, checked the same way: opened in the real browser at a phone's width
and a desk's (the phone's measured again at 360 px), then axe-core (its packaged
axe.min.js injected into the page, nothing fetched) must find no serious or
critical violation, the page must not be wider than the screen, every control a
thumb uses must be at least 44 x 44 CSS px with inputs at 16 px or more, no request
may leave the gateway, and a screenshot of it is kept in SCREENSHOTS for a person
to look at (CI keeps the folder).

A page joins the check with one line in PAGES: its name (the screenshot's), its
path (it may name the sample's records, e.g. "/acara/{programme}", see
test_pages.py's `sample`, or the demo's), the key it is opened with (sent as a
bearer header), and what a person does on it first (a form sent, a refusal met)
where the page to check is what follows, e.g.

    Checked("catalogue-record", "/katalog/T000001"),
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

SCREENSHOTS = Path(__file__).parent / "screenshots"
SIZES = ({"width": 390, "height": 844}, {"width": 1280, "height": 800})
NARROWEST = {"width": 360, "height": 740}  # the phone's page is also measured at this width
FAILING_IMPACTS = ("serious", "critical")
THUMB_PX = 44

# What a thumb presses, and how big it is. A radio button's or a checkbox's target
# is its label (a press on the label checks it); a link inside running text (a
# paragraph, a list item, a table cell) is exempt, as WCAG 2.5.5 exempts it.
_SMALL_CONTROLS = """(least) => {
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden";
  };
  const inText = (a) => a.closest("p, li, dd, dt, td, th, figcaption, h1, h2, h3") !== null
      && !a.classList.contains("button");
  const typed = (el) => ["SELECT", "TEXTAREA"].includes(el.tagName)
      || (el.tagName === "INPUT" && !["radio", "checkbox", "submit", "button"].includes(el.type));
  const found = [];
  for (const el of document.querySelectorAll("button, input, select, textarea, a[href]")) {
    if (el.type === "hidden" || !visible(el)) continue;
    if (el.tagName === "A" && inText(el)) continue;
    let target = el;
    if (el.type === "radio" || el.type === "checkbox") target = el.closest("label") || el;
    const r = target.getBoundingClientRect();
    const name = `${el.tagName.toLowerCase()} "${(target.innerText || el.name).trim()}"`;
    if (r.width < least - 0.5 || r.height < least - 0.5) {
      found.push(`${name} ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
    if (typed(el) && parseFloat(getComputedStyle(el).fontSize) < 16) {
      found.push(`${name}: font under 16px (a phone zooms in on it)`);
    }
  }
  return found;
}"""

_OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
_contacts = itertools.count(1)


def register(page, sample: dict) -> None:
    """Register on a programme's page (a new contact each time): the answer page."""
    page.locator("form.register input[name=name]").first.fill("Rahmat Hidayat")
    contact = f"0812-7600-{next(_contacts):04d}"
    page.locator("form.register input[name=contact]").first.fill(contact)
    page.locator("form.register button[type=submit]").first.click()
    page.wait_for_load_state()


def send_empty(page, sample: dict) -> None:
    """Send the page's main form as it is: the refusal, its summary and reasons."""
    page.locator("main form:not(.sign-out) button[type=submit]").last.click()
    page.wait_for_load_state()


def answer_nps(page, sample: dict) -> None:
    page.locator("input[type=radio][value='9']").first.check()
    send_empty(page, sample)


def sign_in(page, sample: dict) -> None:
    """Sign in with a branch's key: the page that says who this device is now."""
    page.locator("input[name=key]").fill(sample["keys"]["branch"])
    send_empty(page, sample)


@dataclass(frozen=True)
class Checked:
    name: str
    path: str
    key: str = ""  # "branch" (a KMN key) or "admin", sent as a bearer header
    # what a person does first, then(page, sample): the page after it is checked
    then: Callable | None = None


PAGES = [
    Checked("calendar", "/acara"),
    Checked("programme", "/acara/{programme}"),
    Checked("programme-en", "/acara/{programme}?lang=en"),
    Checked("programme-refused", "/acara/{programme}", then=send_empty),
    Checked("sessions", "/acara/{series}"),
    Checked("session-chosen", "/acara/{series}?sesi={second_session}"),
    Checked("registered", "/acara/{programme}", then=register),
    Checked("ticket", "/acara/tiket/{ticket}"),
    Checked("door", "/pintu?code={ticket}", key="branch"),
    Checked("door-refused", "/pintu?code=ZZZZZZZZ", key="branch"),
    Checked("sign-in", "/masuk"),
    Checked("signed-in", "/masuk", then=sign_in),
    Checked("not-found", "/acara/EVT999999"),
    Checked("survey-libqual", "{libqual_survey}"),
    Checked("survey-refused", "{nps_survey}", then=send_empty),
    Checked("survey-sent", "{nps_survey}", then=answer_nps),
    Checked("certificate", "/verify/{certificate}"),
    Checked("report-event", "/v1/feedback/campaigns/CMP000001/report", key="admin"),
    Checked("report-libqual", "/v1/feedback/campaigns/{libqual_campaign}/report", key="admin"),
    Checked("overview", "/v1/feedback/overview/report?year={year}", key="admin"),
    Checked("suggestions", "/usulan"),
    Checked("suggestion", "/usulan/{suggestion}"),
    Checked("suggestion-on-the-shelf", "/usulan/SUG000004"),
    Checked("suggest", "/usulan/baru?judul=Laskar+Pelangi&pengarang=Andrea+Hirata"),
    Checked("suggest-refused", "/usulan/baru?jenis=acara", then=send_empty),
    Checked("catalogue", "/katalog"),
    Checked("catalogue-search", "/katalog?q=perpustakaan"),
    Checked("catalogue-nothing", "/katalog?q=qwxzqwxz"),
    Checked("catalogue-record", "/katalog/T000001"),
    Checked("catalogue-missing", "/katalog/T999999"),
    Checked("visitors-book", "/buku-tamu", key="branch"),
    Checked("visitors-book-choose", "/buku-tamu", key="admin"),
    Checked("visitors-book-refused", "/buku-tamu", key="branch", then=send_empty),
    Checked("headcount", "/buku-tamu/hitungan", key="branch"),
    Checked("dashboard", "/dasbor", key="admin"),
    Checked("dashboard-branch", "/dasbor", key="branch"),
    Checked("dashboard-refused", "/dasbor?from=1999-12&to=2000-01", key="admin"),
]


@dataclass
class Finding:
    """What one page at one size did wrong (empty lists: nothing)."""

    violations: list[str]
    too_wide: int
    small: list[str]
    elsewhere: list[str]

    def __bool__(self) -> bool:
        return bool(self.violations or self.too_wide or self.small or self.elsewhere)


def check(page, checked: Checked, sample: dict, origin: str, requests: list) -> Finding:
    """Open `checked` on `page` (its context already sized, keyed), do what a person
    does first, then check and photograph what is shown."""
    page.goto(checked.path.format(**sample))
    if checked.then:
        checked.then(page, sample)
    width = page.viewport_size["width"]
    page.screenshot(path=SCREENSHOTS / f"{checked.name}-{width}.png", full_page=True)
    return findings(page, requests, origin)


def findings(page, requests: list, origin: str) -> Finding:
    """What is wrong with the page as it is shown now."""
    width = page.viewport_size["width"]
    results = Axe().run(page).response
    violations = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
        for v in results["violations"]
        if v["impact"] in FAILING_IMPACTS
    ]
    overflow = page.evaluate(_OVERFLOW)
    if width == SIZES[0]["width"]:
        page.set_viewport_size(NARROWEST)
        overflow = max(overflow, page.evaluate(_OVERFLOW))
    return Finding(
        violations=violations,
        too_wide=max(0, overflow),
        small=page.evaluate(_SMALL_CONTROLS, THUMB_PX),
        elsewhere=[u for u in requests if not u.startswith(origin) and not u.startswith("data:")],
    )
