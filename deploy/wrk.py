"""Make sure wrk, the HTTP load generator of `make bench`, is here: use the one on
PATH, else install Debian's package (Debian/Ubuntu, as root), else say exactly how
to get it.

  python -m deploy.wrk

wrk, not a Python load generator: it keeps 20 connections busy from one core with
latency percentiles that mean something, so the figures measure the platform and
not the client.
"""

from __future__ import annotations

import shutil
import sys

from deploy import apt

HOW_TO = """wrk is needed for the HTTP figures; it is not on PATH and cannot be installed from here.
Get it in any of these ways, then run the benchmark again:
  - Debian/Ubuntu: sudo apt-get install -y wrk
  - macOS (Homebrew): brew install wrk
  - from source (needs git, make and a C compiler):
      git clone https://github.com/wg/wrk && make -C wrk && sudo cp wrk/wrk /usr/local/bin/"""


def ensure() -> bool:
    if shutil.which("wrk"):
        return True
    if apt.can_install():
        print("[wrk] not found; installing Debian's package", flush=True)
        if apt.install("wrk") and shutil.which("wrk"):
            return True
    print(HOW_TO, file=sys.stderr)
    return False


if __name__ == "__main__":
    sys.exit(0 if ensure() else 1)
