"""When a part's process counts as stuck (chassis/nameko/watchdog.py)."""

from chassis.nameko.watchdog import stuck


def test_busy_workers_are_not_stuck_until_every_one_has_been_busy_too_long():
    assert stuck([0.0, 50.0], workers=2, beat=99.0, now=100.0, limit=60) == ""
    assert stuck([0.0], workers=2, beat=99.0, now=100.0, limit=60) == ""  # one is free
    assert "all 2 workers" in stuck([0.0, 30.0], workers=2, beat=99.0, now=100.0, limit=60)


def test_a_process_whose_green_threads_do_not_run_is_stuck():
    assert "not run for 70s" in stuck([], workers=10, beat=30.0, now=100.0, limit=60)
