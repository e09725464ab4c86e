"""Make sure the browser tests have a Chromium: the one at /usr/bin/chromium, else
install Debian's package (as root, where apt-get is), else say exactly how to get one.

  python -m deploy.browser

The browser tests (tests/browser) drive a real headless Chromium with Playwright.
They use the distribution's browser, never `playwright install`: that downloads a
browser build of Playwright's own from outside the package registries, which a
machine that reaches only the registries cannot do. PUSTAKA_CHROMIUM names another
Chromium to use (a snap's, say). Without one the browser tests skip and say why, as
the PostgreSQL tests do without a server: so this exits 0 either way.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

DEBIAN_CHROMIUM = "/usr/bin/chromium"

HOW_TO = """No Chromium at {path}; the browser tests (tests/browser) will skip.
Get one in any of these ways, then run the tests again:
  - Debian (and derivatives that package it): sudo apt-get install -y chromium
  - Ubuntu: sudo snap install chromium && export PUSTAKA_CHROMIUM=/snap/bin/chromium
  - any machine: install Chromium or Google Chrome and export PUSTAKA_CHROMIUM=/path/to/it
Playwright's own `playwright install` is not needed (and downloads a browser of its own)."""


def log(message: str) -> None:
    print(f"[browser] {message}", flush=True)


def chromium_path() -> Path:
    return Path(os.environ.get("PUSTAKA_CHROMIUM") or DEBIAN_CHROMIUM)


def available(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def install() -> bool:
    """Debian's chromium package, as root with apt-get; False where that is not possible."""
    if not (shutil.which("apt-get") and os.geteuid() == 0):
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    log("installing chromium (Debian package)")
    subprocess.run(["apt-get", "update", "-q"], env=env, timeout=600)
    done = subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], env=env, timeout=1200)
    return done.returncode == 0


def ensure() -> bool:
    path = chromium_path()
    # Debian's package installs /usr/bin/chromium only: another path is the user's to provide.
    if not available(path) and not (str(path) == DEBIAN_CHROMIUM and install() and available(path)):
        print(HOW_TO.format(path=path), file=sys.stderr)
        return False
    log(f"Chromium at {path}")
    return True


def main() -> int:
    ensure()
    return 0  # no browser is a reason for the browser tests to skip, not a failed run


if __name__ == "__main__":
    sys.exit(main())
