"""The tests that once hung on the hour or the date, run again with the clock moved by
Debian's faketime to the moments that broke them or would: `make test-clock`.

Not part of `make test` (nor CI): every test makes what it needs from its own clock,
and this is how to check that they still do. The clock is moved by an offset, never
faketime's "@date" form: with that, each new process starts the clock again at the
date, so the platform's services, started later, would lag the tests' own clock by
as long as the run had lasted (a webhook then looks minutes old to its receiver).

    python tests/clock.py --amqp-uri amqp://guest:guest@127.0.0.1:5672/
    python tests/clock.py --at "UTC 2027-01-01 00:30" -- tests/e2e/test_feedback.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
# (the machine's zone, its local time): the branch's zone is WIB, UTC+7.
MOMENTS = [
    ("UTC", "2026-12-06 11:50"),  # 18:50 WIB: a sitting of that afternoon has begun
    ("UTC", "2026-12-06 02:00"),  # 09:00 WIB: before the day's sittings
    ("UTC", "2026-12-31 16:55"),  # the last minutes of a year in WIB
    ("UTC", "2026-12-31 17:30"),  # a new year in WIB, still the old one in UTC
    ("UTC", "2027-01-01 00:30"),  # a new year everywhere: one day of it behind us
    ("UTC", "2027-02-28 23:30"),  # the last day of a short month (March in WIB)
    ("UTC", "2028-02-29 20:00"),  # a leap day, at 03:00 WIB on 1 March
    ("Asia/Makassar", "2026-12-07 00:30"),  # a machine east of WIB, past its midnight
    ("Pacific/Honolulu", "2026-12-05 22:00"),  # a machine a day behind WIB's date
]
TESTS = [
    "tests/unit/events",
    "tests/domain/events",
    "tests/domain/people",
    "tests/domain/feedback",
    "tests/service/events",
    "tests/service/people",
    "tests/service/feedback",
    "tests/e2e/test_signin.py",
    "tests/e2e/test_events.py",
    "tests/e2e/test_feedback.py",
    "tests/e2e/test_people.py",
    "tests/browser/test_programmes.py",
]


def offset_to(zone: str, local: str) -> int:
    """Seconds from now to `local` in `zone`: faketime's offset (each process adds it
    to the real clock, so they all agree)."""
    wanted = dt.datetime.fromisoformat(local).replace(tzinfo=ZoneInfo(zone))
    return round(wanted.timestamp() - time.time())


def run_at(zone: str, local: str, pytest_args: list[str]) -> int:
    env = {**os.environ, "TZ": zone}
    command = ["faketime", "-f", f"{offset_to(zone, local):+d}", sys.executable, "-m", "pytest"]
    print(f"[clock] {local} {zone}", flush=True)
    return subprocess.run([*command, *pytest_args], cwd=ROOT, env=env).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--amqp-uri", default=os.environ.get("AMQP_URI"))
    parser.add_argument(
        "--at", action="append", help='"ZONE YYYY-MM-DD HH:MM" (repeatable); default: MOMENTS'
    )
    parser.add_argument("tests", nargs="*", help="test paths; default: TESTS")
    args = parser.parse_args()
    if shutil.which("faketime") is None:
        print("[clock] needs faketime (Debian/Ubuntu: apt-get install faketime)", file=sys.stderr)
        return 2
    moments = [tuple(at.split(" ", 1)) for at in args.at] if args.at else MOMENTS
    pytest_args = ["-q", "-p", "no:cacheprovider", *(args.tests or TESTS)]
    if args.amqp_uri:
        pytest_args += ["--amqp-uri", args.amqp_uri]
    failed = [(zone, local) for zone, local in moments if run_at(zone, local, pytest_args)]
    for zone, local in failed:
        print(f"[clock] FAILED at {local} {zone}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
