"""read_ahead: the items in order, errors where they happened, no thread left behind."""

import threading
import time

import pytest

from services.chassis.concurrency import read_ahead


def test_items_come_in_order_and_the_next_is_made_while_the_caller_works():
    made = []

    def items():
        for i in range(5):
            made.append(i)
            yield i

    seen = []
    for item in read_ahead(items()):
        time.sleep(0.05)  # the caller's work: meanwhile the next item is made
        seen.append((item, len(made)))
    assert [item for item, _ in seen] == [0, 1, 2, 3, 4]
    assert seen[0][1] >= 2


def test_an_error_in_the_items_reaches_the_caller_after_the_items_before_it():
    def items():
        yield 1
        raise ValueError("record 2 is unreadable")

    got = []
    with pytest.raises(ValueError, match="record 2"):
        for item in read_ahead(items()):
            got.append(item)
    assert got == [1]


def test_a_caller_that_stops_early_stops_the_thread():
    def endless():
        i = 0
        while True:
            i += 1
            yield i

    ahead = read_ahead(endless())
    assert next(ahead) == 1
    ahead.close()
    running = lambda: any(t.name == "read-ahead" for t in threading.enumerate())  # noqa: E731
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and running():
        time.sleep(0.05)
    assert not running()
