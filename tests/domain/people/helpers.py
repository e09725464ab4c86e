"""Staff development's test data, for the domain's tests and the service's: the
callers, a civil servant's NIP, and the check that no event carries it."""

import json

from chassis.context import Caller
from tests.support import emitted, read, run  # noqa: F401 (the tests import them from here)

KMN = Caller("k-kmn", "branch", branch="KMN")
SPN = Caller("k-spn", "branch", branch="SPN")
PARTNER = Caller("k-unja", "partner", partner="UNJA")
INTEGRATOR = Caller("k-dash", "integrator")
# A NIP: born 12 March 1985, appointed January 2010, a woman, number 003.
NIP = "198503122010012003"
BIRTH_DATE = ("1985-03-12", "19850312")  # the NIP's, as a date may be written


def carries_no_nip(envelope: dict) -> bool:
    """Whether an event holds neither the NIP nor the birth date in it (not "1985"
    alone: a time's microseconds may hold those digits)."""
    text = json.dumps(envelope)
    return not any(secret in text for secret in (NIP, *BIRTH_DATE))
