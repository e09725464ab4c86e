import math

import pytest

from chassis.errors import ValidationFailed
from chassis.pagination import Bounds, decode_cursor, encode_cursor, page

SEQ = Bounds(int, 1, 2**32 - 1)


def test_cursor_round_trip():
    assert decode_cursor(encode_cursor({"seq": 42}), seq=SEQ) == {"seq": 42}
    assert decode_cursor(None) is None


@pytest.mark.parametrize("bad", ["!!!", "bm90IGpzb24", encode_cursor([1])[:-1] + "x"])
def test_foreign_cursors_are_a_validation_error(bad):
    with pytest.raises(ValidationFailed) as err:
        decode_cursor(bad)
    assert "cursor" in err.value.details["fields"]


@pytest.mark.parametrize(
    "key",
    [
        {"seq": 2**32},  # beyond the bounds: a forged cursor, not an overflow
        {"seq": 2**64},
        {"seq": 0},
        {"seq": -1},
        {"seq": 1.5},
        {"seq": True},
        {"seq": "42"},
        {"seq": None},
        {},
        [42],
    ],
)
def test_a_field_out_of_its_bounds_is_a_validation_error(key):
    with pytest.raises(ValidationFailed) as err:
        decode_cursor(encode_cursor(key), seq=SEQ)
    assert "cursor" in err.value.details["fields"]


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_numbers_json_should_not_carry_are_out_of_any_bounds(value):
    cursor = encode_cursor({"t": value})  # Python's json writes NaN and Infinity, and reads them
    with pytest.raises(ValidationFailed):
        decode_cursor(cursor, t=Bounds((int, float), 0, 1e12))


def test_bounds_are_inclusive_and_each_field_has_its_own():
    time = Bounds((int, float), 0, 1e12)
    assert decode_cursor(encode_cursor({"t": 0, "s": 2**32 - 1}), t=time, s=SEQ)
    assert decode_cursor(encode_cursor({"t": 1.5, "s": 1}), t=time, s=SEQ)


def test_page_gives_a_cursor_only_when_more_rows_exist():
    items, cursor = page([1, 2, 3], 2, lambda x: {"seq": x})
    assert items == [1, 2]
    assert decode_cursor(cursor, seq=SEQ) == {"seq": 2}
    items, cursor = page([1, 2], 2, lambda x: {"seq": x})
    assert items == [1, 2] and cursor is None
