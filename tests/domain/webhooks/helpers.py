"""The callers of the webhook service's tests, in the domain's tier and the service's."""

from chassis.context import Caller

ALICE = Caller("k-alice", "integrator")
BOB = Caller("k-bob", "integrator")
ADMIN = Caller("k-admin", "admin")
BRANCH = Caller("k-kmn", "branch", branch="KMN")
