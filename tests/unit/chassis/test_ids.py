"""Public ids: one spelling per record, and nothing else parses."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chassis.ids import SEQ_MAX, PublicId

TITLE = PublicId("T", 6)


@given(st.integers(min_value=1, max_value=SEQ_MAX))
def test_every_seq_formats_to_the_id_that_parses_back_to_it(seq):
    assert TITLE.parse(TITLE.format(seq)) == seq


@pytest.mark.parametrize(
    "text, seq",
    [("T000001", 1), ("T000042", 42), ("T999999", 999_999), ("T1000000", 1_000_000)],
)
def test_the_canonical_spelling_parses(text, seq):
    assert TITLE.format(seq) == text
    assert TITLE.parse(text) == seq


@pytest.mark.parametrize(
    "text",
    [
        "T²",  # a superscript digit: str.isdigit() says yes, int() says no
        "T０００００１",  # fullwidth digits: int() reads them as 1
        "T٠٠٠٠٠٣",  # Arabic-Indic digits
        "T0000000001",  # more leading zeros than the padding
        "T01000000",
        "T42",  # less than the padding
        "T000000",  # no record is 0
        f"T{SEQ_MAX + 1}",  # beyond a BIGINT
        "T" + "9" * 5000,  # more digits than int() converts (and than any id has)
        "T-00001",
        "T+00001",
        "T 000001",
        "T000001 ",
        "T000001\n",
        "t000001",
        "ACQ000001",
        "T",
        "",
        None,
        42,
        ["T000001"],
    ],
)
def test_any_other_spelling_is_no_id(text):
    assert TITLE.parse(text) is None


def test_a_longer_prefix_is_its_own_kind():
    acquisition = PublicId("ACQ", 6)
    assert acquisition.format(7) == "ACQ000007"
    assert acquisition.parse("ACQ000007") == 7
    assert TITLE.parse("ACQ000007") is None
