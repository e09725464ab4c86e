"""A service's background work (chassis/nameko/background.py) at its process's stop:
a batch under way is finished, unless the worker's work is done again whole at the
next start (stops_at_once), which is cut short rather than waited for."""

import eventlet
import pytest
from sqlalchemy.orm import DeclarativeBase

from chassis.nameko.background import Background
from chassis.nameko.database import Database


class Base(DeclarativeBase):
    pass


class Slow:
    """One long batch: begun at once, finished only when `release` is sent."""

    poll_seconds = 60.0

    def __init__(self, stops_at_once: bool):
        self.stops_at_once = stops_at_once
        self.begun, self.release = eventlet.Event(), eventlet.Event()
        self.finished = self.closed = False

    def run_once(self) -> int:
        if self.finished:
            return 0
        self.begun.send()
        self.release.wait()
        self.finished = True
        return 0

    def reset(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True


@pytest.mark.parametrize("stops_at_once", [False, True])
def test_a_stop_finishes_the_batch_under_way_unless_the_work_is_done_again_whole(
    stops_at_once, config, database_url, container_factory
):
    made = []

    class Worker(Background):
        identifier = "slow"

    class Part:
        name = "part"
        db = Database(Base)
        work = Worker(lambda config, database: made.append(Slow(stops_at_once)) or made[0])

    container = container_factory(Part, {**config, "part": {"DATABASE_URL": database_url}})
    container.start()
    (slow,) = made
    slow.begun.wait()
    stopping = eventlet.spawn(container.stop)
    eventlet.sleep(0.2)  # what the stop does meanwhile
    if not stops_at_once:
        assert not stopping.dead  # it waits for the batch...
        slow.release.send()  # ...until it ends
    with eventlet.Timeout(10):
        stopping.wait()
    assert slow.finished is not stops_at_once and slow.closed
