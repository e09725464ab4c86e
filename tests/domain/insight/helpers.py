"""Insight's test data, for its domain's tests: the callers, the branches, the tests'
own clock."""

import datetime as dt

from chassis.context import Caller
from tests.support import read, run  # noqa: F401 (the tests import them from here)

ADMIN = Caller("k-hq", "admin")
KMN = Caller("k-kmn", "branch", branch="KMN")
SPN = Caller("k-spn", "branch", branch="SPN")
PARTNER = Caller("k-unja", "partner", partner="UNJA")
INTEGRATOR = Caller("k-dash", "integrator")
BRANCHES = ("SPN", "KMN", "PDT")
# The tests' own clock: a fixed moment (14:00 WIB on 20 November 2026), passed in.
NOW = dt.datetime(2026, 11, 20, 7, 0, tzinfo=dt.UTC).timestamp()
TODAY = dt.date(2026, 11, 20)
