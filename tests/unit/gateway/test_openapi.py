"""The OpenAPI document lists, for each route, the errors the contract methods it
calls may answer: a client reads from it which statuses to handle."""

from chassis.errors import Conflict, Forbidden, NotFound
from gateway.edge.openapi import build_spec, status_of
from gateway.service import GatewayService


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
