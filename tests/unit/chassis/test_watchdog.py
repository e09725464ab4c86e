"""When a part's process counts as stuck (chassis/nameko/watchdog.py)."""

from chassis.nameko.watchdog import stuck


def test_busy_workers_are_not_stuck_until_every_one_has_been_busy_too_long():
    assert stuck([0.0, 50.0], workers=2, beat=99.0, now=100.0, limit=60) == ""
    assert stuck([0.0], workers=2, beat=99.0, now=100.0, limit=60) == ""  # one is free
    assert "all 2 workers" in stuck([0.0, 30.0], workers=2, beat=99.0, now=100.0, limit=60)


def test_a_process_whose_green_threads_do_not_run_is_stuck():
    assert "not run for 70s" in stuck([], workers=10, beat=30.0, now=100.0, limit=60)


def test_a_group_of_events_applying_too_long_is_stuck():
    # Grouped events hold no worker (grouped.py): their group is watched itself.
    assert stuck([], workers=10, beat=99.0, now=100.0, limit=60, groups=[50.0]) == ""
    why = stuck([], workers=10, beat=99.0, now=100.0, limit=60, groups=[50.0, 30.0])
    assert "a group of events has been applying for over 60s" in why
