"""map_ahead: results in order, worked out in another process ahead of the caller,
errors where they happened, no process left behind.

The test process runs under eventlet's monkey patching (tests/conftest.py), where
map_ahead works in line; the worker process is used in an unpatched interpreter,
as in the CLI and the benchmark. So each `check_*` below runs in a fresh one.
"""

import multiprocessing
import os
import subprocess
import sys
import time

import pytest

from chassis.concurrency import map_ahead
from chassis.config import ROOT


def pid_and_square(n):
    return os.getpid(), n * n


def fails_on_three(n):
    if n == 3:
        raise ValueError("record 3 is unreadable")
    return n


def no_worker_left(timeout=5.0) -> bool:
    deadline = time.monotonic() + timeout
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    return not multiprocessing.active_children()


def check_results_come_in_order_from_a_worker_that_works_ahead():
    taken = []

    def items():
        for i in range(6):
            taken.append(i)
            yield i

    seen = [(pid, square, len(taken)) for pid, square in map_ahead(pid_and_square, items())]
    assert [square for _, square, _ in seen] == [0, 1, 4, 9, 16, 25]
    assert os.getpid() not in {pid for pid, _, _ in seen}
    assert seen[0][2] >= 2  # the next item was handed over before the first result
    assert no_worker_left()


def check_an_error_in_the_function_comes_after_the_results_before_it():
    got = []
    with pytest.raises(ValueError, match="record 3"):
        for n in map_ahead(fails_on_three, range(1, 10)):
            got.append(n)
    assert got == [1, 2]
    assert no_worker_left()


def check_an_error_in_the_items_comes_after_the_results_before_it():
    def items():
        yield 1
        yield 2
        raise OSError("the file ends early")

    got = []
    with pytest.raises(OSError, match="ends early"):
        for _, square in map_ahead(pid_and_square, items()):
            got.append(square)
    assert got == [1, 4]
    assert no_worker_left()


def check_a_caller_that_stops_early_stops_the_worker():
    def endless():
        n = 0
        while True:
            n += 1
            yield n

    ahead = map_ahead(pid_and_square, endless())
    assert next(ahead)[1] == 1
    ahead.close()
    assert no_worker_left()


@pytest.mark.parametrize("check", [name for name in dir() if name.startswith("check_")])
def test_in_a_worker_process(check):
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            f"from tests.unit.chassis.test_concurrency import {check}; {check}()",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def test_under_eventlet_the_work_is_done_in_line_in_order():
    got = list(map_ahead(pid_and_square, range(4)))
    assert got == [(os.getpid(), n * n) for n in range(4)]
    with pytest.raises(ValueError, match="record 3"):
        list(map_ahead(fails_on_three, range(1, 5)))
