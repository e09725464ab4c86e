"""Browser tests: the platform's public pages in a real headless Chromium, driven by
Playwright, as a person meets them. Every test here is marked `browser`.

The browser is the distribution's (`python -m deploy.browser` installs Debian's as
root); where there is none, these tests skip and say why. One browser serves the
session; each test gets a fresh context (no cookies or storage from another test)
and a page in it, whose every request is recorded in `page_requests`. A failing
test leaves a screenshot of its page in its tmp_path.

The platform runs on SQLite only: these tests are about pages, not storage.
"""

import signal
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from deploy.browser import available, chromium_path
from tests.platform import on_the_shared_platform

HERE = Path(__file__).parent

# Headless, quiet, and on its own: no GPU, no QUIC, no first-run pages, and none
# of the browser's own calls home (updates, sync, field trials). --no-sandbox: the
# tests may run as root, where Chromium's sandbox refuses to start. Playwright
# gives each launch a fresh profile directory of its own (--user-data-dir), and
# removes it when the browser closes.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Time for one browser test (its function-scoped fixtures included) before it fails.
BROWSER_TEST_SECONDS = 120

platform = on_the_shared_platform()


def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


@pytest.fixture(autouse=True)
def _fail_a_test_that_hangs(request):
    """pytest-timeout falls back to a timer thread here (eventlet makes the main
    thread look like another), and that green thread cannot fire while Playwright
    waits in poll(2). SIGALRM can: it interrupts the wait, Playwright raises the
    handler's failure in the test, and the run goes on."""

    def fail(signum, frame):
        pytest.fail(f"{request.node.nodeid} ran over {BROWSER_TEST_SECONDS}s", pytrace=False)

    previous = signal.signal(signal.SIGALRM, fail)
    signal.setitimer(signal.ITIMER_REAL, BROWSER_TEST_SECONDS)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if not available(path):
        pytest.skip(
            f"no Chromium at {path}: `python -m deploy.browser` installs Debian's (as root) "
            "or says how to get one; PUSTAKA_CHROMIUM names another"
        )
    from tests.browser.driver import running_playwright

    with running_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(path), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


class RequestLog(list):
    """The URL of every request a page made, in order."""

    def elsewhere(self, origin: str) -> list[str]:
        """The requests that went to any other host than `origin` (data: and blob:
        URLs never leave the page)."""
        home = urlsplit(origin)[:2]
        return [url for url in self if urlsplit(url)[:2] != home and not _local_scheme(url)]


def _local_scheme(url: str) -> bool:
    return urlsplit(url).scheme in ("data", "blob")


@pytest.fixture
def page_requests() -> RequestLog:
    """Every request the test's `page` makes, as it makes them."""
    return RequestLog()


@pytest.fixture
def page(request, browser, platform, page_requests, tmp_path):
    """A browser tab on the platform: relative URLs go to its gateway."""
    context = browser.new_context(base_url=platform.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    context.on("request", lambda r: page_requests.append(r.url))
    tab = context.new_page()
    yield tab
    if request.node.stash.get(_FAILED, False):
        shot = tmp_path / "failure.png"
        tab.screenshot(path=shot, full_page=True)
        print(f"screenshot of the failing page: {shot}")
    context.close()
