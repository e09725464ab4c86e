import pytest

from services.chassis.errors import ValidationFailed
from services.chassis.pagination import decode_cursor, encode_cursor, page


def test_cursor_round_trip():
    assert decode_cursor(encode_cursor({"seq": 42})) == {"seq": 42}
    assert decode_cursor(None) is None


@pytest.mark.parametrize("bad", ["!!!", "bm90IGpzb24", encode_cursor([1])[:-1] + "x"])
def test_foreign_cursors_are_a_validation_error(bad):
    with pytest.raises(ValidationFailed) as err:
        decode_cursor(bad)
    assert "cursor" in err.value.details["fields"]


def test_page_gives_a_cursor_only_when_more_rows_exist():
    items, cursor = page([1, 2, 3], 2, lambda x: {"seq": x})
    assert items == [1, 2]
    assert decode_cursor(cursor) == {"seq": 2}
    items, cursor = page([1, 2], 2, lambda x: {"seq": x})
    assert items == [1, 2] and cursor is None
