"""Every route against its own OpenAPI document, with requests generated from it
(schemathesis): however odd the request, no answer is a 500, and every answer has a
documented status, the documented content type and the documented shape. Alone, and
in sequences that follow the document's links (create a title, then change it,
withdraw it, add copies to it...)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# The same requests on every run, so the suite passes or fails for the code alone;
# explore further with `--hypothesis-seed` and derandomize off.
QUICK = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


@pytest.fixture(scope="module")
def api(platform):
    return schemathesis.openapi.from_url(platform.url + "/v1/openapi.json")


def test_every_route_answers_as_its_document_says(platform, api):
    headers = {"Authorization": f"Bearer {platform.admin_key}"}
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) >= 20

    for operation in operations:

        @given(case=operation.as_strategy())
        @QUICK
        def answers_as_documented(case):
            case.call_and_validate(
                base_url=platform.url, headers=headers, checks=CHECKS, timeout=30
            )

        answers_as_documented()


def test_sequences_along_the_documents_links_answer_as_documented(platform, api):
    headers = {"Authorization": f"Bearer {platform.admin_key}"}

    class Scenarios(api.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"base_url": platform.url, "headers": headers, "timeout": 30}

        def validate_response(self, response, case, **kwargs):
            case.validate_response(response, checks=CHECKS)

    Scenarios.run(settings=settings(QUICK, max_examples=30, stateful_step_count=6))
