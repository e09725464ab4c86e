"""Closing campaigns whose last day has passed, by themselves: the worker each
feedback process runs beside its entrypoints (a `Background` of the chassis). It
looks every CLOSE_DUE_SECONDS, whatever wakes it; replicas may look at once, and a
campaign is closed once (its row is locked, and an open one only is closed)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from .results import close_due

log = logging.getLogger(__name__)


class Closer:
    def __init__(self, transaction: Callable, every_seconds: float, clock=time.monotonic):
        self.transaction = transaction
        self.poll_seconds = every_seconds
        self.clock = clock
        self.last: float | None = None

    def run_once(self) -> int:
        """0 always (the loop then waits): each look closes all that is due."""
        now = self.clock()
        if self.last is not None and now - self.last < self.poll_seconds:
            return 0
        with self.transaction() as session:
            closed = close_due(session)
        self.last = now
        if closed:
            log.info("closed %d campaigns past their last day: %s", len(closed), closed)
        return 0

    def reset(self) -> None:
        self.last = None

    def close(self) -> None:
        pass
