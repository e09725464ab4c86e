"""JSON bodies: bounded in depth before they are parsed, and read as the RFC says."""

import json
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateway.edge.errors import BadRequest
from gateway.edge.http import MAX_JSON_DEPTH, parse_json

LEAVES = st.none() | st.booleans() | st.integers() | st.text(alphabet=st.sampled_from('ab"\\[]{}é'))
VALUES = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=40,
)


def depth(value) -> int:
    if isinstance(value, list):
        return 1 + max(map(depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(depth, value.values()), default=0)
    return 0


def nested(levels: int, close: bool = True) -> bytes:
    opened = '{"a":[' * (levels // 2) + "[" * (levels % 2)
    closed = "]" * (levels % 2) + "]}" * (levels // 2)
    return (opened + "1" + (closed if close else "")).encode()


@given(VALUES)
def test_any_json_within_the_depth_parses_as_itself(value):
    raw = json.dumps(value, ensure_ascii=False).encode()
    if depth(value) <= MAX_JSON_DEPTH:
        assert parse_json(raw) == value
    else:
        with pytest.raises(BadRequest):
            parse_json(raw)


@pytest.mark.parametrize("levels", [MAX_JSON_DEPTH + 1, 10_000, 500_000])
@pytest.mark.parametrize("close", [True, False])
def test_nesting_deeper_than_the_limit_is_refused_before_parsing(levels, close):
    # 10,000 levels made json.loads raise RecursionError: a 500 on every JSON route.
    with pytest.raises(BadRequest) as refused:
        parse_json(nested(levels, close))
    assert refused.value.details == {"max_depth": MAX_JSON_DEPTH}
    assert "deep" in str(refused.value)


def test_nesting_up_to_the_limit_parses():
    assert depth(parse_json(nested(MAX_JSON_DEPTH))) == MAX_JSON_DEPTH


@pytest.mark.parametrize(
    "raw",
    [
        json.dumps({"title": "[" * 10_000}).encode(),
        json.dumps({"title": '\\"[[[' * 1_000 + "\\"}).encode(),
        b'{"title": "Kerinci \\\\"}',  # an escaped backslash, then the closing quote
    ],
)
def test_brackets_inside_strings_are_text(raw):
    assert parse_json(raw) == json.loads(raw)


@pytest.mark.parametrize(
    "raw, says",
    [
        (b'{"title": "[[[[', "not valid JSON"),
        (b"{oops", "not valid JSON"),
        ('{"title": "Kerinci"}'.encode("utf-16"), "not UTF-8"),
        (b'{"title": "\xff"}', "not UTF-8"),
    ],
)
def test_what_is_not_utf8_json_says_so(raw, says):
    with pytest.raises(BadRequest) as refused:
        parse_json(raw)
    assert says in str(refused.value)


def test_a_byte_order_mark_and_an_empty_body_are_read():
    assert parse_json('\ufeff{"title": "Kerinci"}'.encode()) == {"title": "Kerinci"}
    assert parse_json(b"") is None


@pytest.mark.parametrize(
    "raw",
    [
        b'"' + b'\\"' * 500_000,  # a string never closed: each quote could start one
        b"[" + b"[]," * 333_000 + b"[]]",
        b'["' + b'","' * 333_000 + b'"]',
    ],
)
def test_a_megabyte_of_any_shape_is_measured_in_linear_time(raw):
    # This process's CPU seconds, not the wall clock's: a busy machine (CI runs other
    # Pythons' tests beside this one) stretches the one, never the other. Linear takes
    # a small fraction of a second; quadratic, some 10^11 steps, would take hours.
    started = time.process_time()
    with pytest.raises(BadRequest):
        parse_json(raw + b"!")  # made invalid, to measure the check, not the parse
    assert time.process_time() - started < 10
