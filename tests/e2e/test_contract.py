"""Every route against its own OpenAPI document, with requests generated from it
(schemathesis): however odd the request, no answer is a 500, and every answer has a
documented status, the documented content type and the documented shape. Alone, and
in sequences that follow the document's links (create a title, then change it,
withdraw it, add copies to it...).

In the suite the run is short and the same every time. `make fuzz` runs it longer
with a fresh seed (PUSTAKA_FUZZ_EXAMPLES, PUSTAKA_FUZZ_SEED) and prints what it
sent and what came back."""

import os
import random
import time
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.platform import platform_fixture

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = int(os.environ.get("PUSTAKA_FUZZ_EXAMPLES") or 20)
SEED = os.environ.get("PUSTAKA_FUZZ_SEED")
# The same requests on every run, so the suite passes or fails for the code alone;
# `make fuzz` explores further from a seed it prints (repeat a run with that seed).
QUICK = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=SEED is None,
    database=None,
)
SEED_VALUE = None if SEED is None else int(SEED) if SEED.isdigit() else random.randrange(2**32)

# Whether answers keep to the document does not depend on the database: the suite runs
# on SQLite; `make fuzz` on PostgreSQL as well (PUSTAKA_FUZZ_DATABASES).
platform = platform_fixture(
    databases=tuple((os.environ.get("PUSTAKA_FUZZ_DATABASES") or "sqlite").split(","))
)


class Tally:
    """What a run sent and what came back: the figures `make fuzz` prints."""

    def __init__(self):
        self.statuses = Counter()
        self.operations = set()
        self.started = time.monotonic()

    def count(self, case, response):
        self.operations.add(f"{case.method} {case.path}")
        self.statuses[response.status_code] += 1

    def report(self, name):
        took = time.monotonic() - self.started
        requests = sum(self.statuses.values())
        codes = ", ".join(f"{code}: {n}" for code, n in sorted(self.statuses.items()))
        print(
            f"\n{name}: {len(self.operations)} operations, {requests} requests in {took:.0f} s"
            f" (seed {SEED_VALUE if SEED is not None else 'derandomized'}, {EXAMPLES} examples"
            f" an operation); statuses {codes}"
        )


@pytest.fixture(scope="module")
def api(platform):
    return schemathesis.openapi.from_url(platform.url + "/v1/openapi.json")


def seeded(test):
    return test if SEED is None else seed(SEED_VALUE)(test)


def test_every_route_answers_as_its_document_says(platform, api):
    headers = {"Authorization": f"Bearer {platform.admin_key}"}
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) >= 20
    tally = Tally()

    for operation in operations:

        @given(case=operation.as_strategy())
        @QUICK
        @seeded
        def answers_as_documented(case):
            response = case.call(base_url=platform.url, headers=headers, timeout=30)
            tally.count(case, response)
            case.validate_response(response, checks=CHECKS)

        answers_as_documented()
    tally.report("every operation")


def test_sequences_along_the_documents_links_answer_as_documented(platform, api):
    headers = {"Authorization": f"Bearer {platform.admin_key}"}

    tally = Tally()

    class Scenarios(api.as_state_machine()):
        def before_call(self, case):
            # Passed with the call, the key was dropped from some steps (their 401s).
            case.headers = {**(case.headers or {}), **headers}

        def get_call_kwargs(self, case):
            return {"base_url": platform.url, "timeout": 30}

        def validate_response(self, response, case, **kwargs):
            tally.count(case, response)
            case.validate_response(response, checks=CHECKS)

    # Generated, never replayed: a sequence runs against a live platform whose records
    # it changes, so replaying one (to shrink a failure, or from the example database)
    # meets other state and draws other steps, which Hypothesis calls a flaky strategy.
    # A failure is reported as it was found, with its steps.
    Scenarios.run(
        settings=settings(
            QUICK,
            max_examples=EXAMPLES + 10,
            stateful_step_count=6,
            phases=(Phase.explicit, Phase.generate),
        )
    )
    tally.report("sequences along links")
