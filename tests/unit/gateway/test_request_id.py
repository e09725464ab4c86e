"""The request id a write is done once under (gateway/edge/http.py: request_id): a
keyed client's Idempotency-Key is its own; a keyless one is scoped to the address
and the body, so that nobody else's request meets it."""

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from gateway.edge.errors import BadRequest, PayloadTooLarge
from gateway.edge.http import MAX_BODY_BYTES, json_body, request_id

BODY = b'{"name": "Siti Aisyah", "contact": "0812-7400-1234"}'


def post(body: bytes = BODY, address: str = "198.51.100.1", key: str | None = "daftar-1"):
    headers = {"Idempotency-Key": key} if key else {}
    environ = EnvironBuilder(
        method="POST", data=body, headers=headers, content_type="application/json"
    ).get_environ()
    environ["REMOTE_ADDR"] = address
    return Request(environ)


def test_a_keyed_clients_key_is_its_own():
    assert request_id(post(), "a1b2c3") == "a1b2c3:daftar-1"
    assert request_id(post(BODY + b" "), "a1b2c3") == "a1b2c3:daftar-1"  # a 422 there


def test_without_an_idempotency_key_every_request_is_its_own():
    assert request_id(post(key=None), "public") != request_id(post(key=None), "public")


def test_a_keyless_retry_from_the_same_address_with_the_same_body_is_the_same_request():
    first = request_id(post(), "public")
    assert first == request_id(post(), "public")
    assert first.startswith("public:") and first.endswith(":daftar-1")


def test_a_second_person_with_the_same_key_makes_a_request_of_their_own():
    other_body = b'{"name": "Budi", "contact": "0812-7400-9999"}'
    first = request_id(post(), "public")
    assert request_id(post(other_body), "public") != first  # same address, e.g. one school
    assert request_id(post(address="203.0.113.9"), "public") != first  # a copy from elsewhere


def test_the_body_read_for_the_scope_is_there_for_the_route():
    request = post()
    request_id(request, "public")
    assert json_body(request) == {"name": "Siti Aisyah", "contact": "0812-7400-1234"}


def test_a_keyless_body_over_the_json_limit_is_refused_before_it_is_kept():
    with pytest.raises(PayloadTooLarge):
        request_id(post(b"x" * (MAX_BODY_BYTES + 1)), "public")


def test_a_key_with_spaces_is_a_400():
    with pytest.raises(BadRequest):
        request_id(post(key="a b"), "public")
