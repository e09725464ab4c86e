"""The OpenAPI document lists, for each route, the errors the contract methods it
calls may answer: a client reads from it which statuses to handle."""

import json
from pathlib import Path

from chassis.errors import Conflict, Forbidden, NotFound
from gateway.edge.openapi import build_spec, status_of
from pustaka.gateway import GatewayService


def statuses(path: str, method: str) -> set[int]:
    operation = build_spec(GatewayService)["paths"][path][method]
    return {int(code) for code in operation["responses"]}


def test_a_write_documents_its_contracts_errors_and_a_reused_idempotency_key():
    # create_title: Forbidden and Conflict in the catalogue's contract, and a write
    assert {201, 400, 401, 403, 409, 413, 422, 503, 504} <= statuses("/v1/catalog/titles", "post")


def test_a_read_documents_no_conflict_and_no_idempotency_key():
    found = statuses("/v1/catalog/titles/{title_id}", "get")
    assert {200, 404, 503, 504} <= found
    assert not found & {409, 413, 422}
    # put_branch may be refused (Forbidden) but never conflicts
    assert 409 not in statuses("/v1/catalog/branches", "post")


def test_an_error_class_has_the_status_of_the_table():
    assert [status_of(e) for e in (NotFound, Forbidden, Conflict)] == [404, 403, 409]


def test_a_keyed_page_takes_the_signed_in_cookie_and_the_api_the_header_only():
    spec = build_spec(GatewayService)
    assert spec["components"]["securitySchemes"]["signedIn"]["in"] == "cookie"
    door = spec["paths"]["/pintu"]["get"]["security"]
    assert door == [{"bearer": []}, {"signedIn": []}]
    assert spec["paths"]["/v1/catalog/titles"]["post"]["security"] == [{"bearer": []}]
    assert "security" not in spec["paths"]["/acara"]["get"]  # public: no key at all


FIXTURE = Path(__file__).parents[2] / "fixtures" / "openapi.json"


def _differences(before, after, where="") -> list[str]:
    """Where two JSON documents differ, one line each."""
    if isinstance(before, dict) and isinstance(after, dict):
        found = []
        for key in sorted(before.keys() | after.keys()):
            here = f"{where}/{key}"
            if key not in after:
                found.append(f"gone: {here}")
            elif key not in before:
                found.append(f"new: {here}")
            else:
                found += _differences(before[key], after[key], here)
        return found
    return [] if before == after else [f"changed: {where}"]


def test_the_document_is_the_one_checked_in():
    """Every path, operation, schema, security requirement and error of the API, as
    tests/fixtures/openapi.json holds them: a route declared, forwarded or moved
    keeps its face. An intended change updates the fixture (the command below) in
    the same commit, so the review sees it."""
    document = json.loads(json.dumps(build_spec(GatewayService)))
    differences = _differences(json.loads(FIXTURE.read_text()), document)
    assert not differences, (
        "The OpenAPI document differs from tests/fixtures/openapi.json; if intended, run "
        "`python -m tests.fixtures.openapi`:\n" + "\n".join(differences[:50])
    )
