"""The first rebuild, by itself: a `Background` worker of each insight process that,
on a database never rebuilt, rebuilds the read models from the services' current
state once they had REBUILD_DELAY_SECONDS to start (backfill.py), then rests. A
failure (a service not up yet) is retried by the loop with a growing pause."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from sqlalchemy import select

from chassis.db import DatabaseSession
from chassis.errors import Conflict

from .backfill import rebuild
from .models import SourceMark

log = logging.getLogger(__name__)
UNDER_WAY_POLL_SECONDS = 2.0  # looking again whether another's rebuild has ended


def never_rebuilt(db: DatabaseSession) -> bool:
    with db.reading() as session:
        return (
            session.scalar(
                select(SourceMark.rebuilt_at).where(SourceMark.rebuilt_at.is_not(None)).limit(1)
            )
            is None
        )


class FirstRebuild:
    poll_seconds = 60.0
    # Cut short by a stop, it is done again whole at the next start: its mark
    # (SourceMark.rebuilt_at) is written only at its end.
    stops_at_once = True

    def __init__(
        self, db: DatabaseSession, open_calls: Callable, settings: dict, clock=time.monotonic
    ):
        self.db, self.open_calls, self.clock = db, open_calls, clock
        self.enabled = bool(settings["REBUILD_ON_START"])
        self.not_before = clock() + float(settings["REBUILD_DELAY_SECONDS"])
        self.page = int(settings["BACKFILL_PAGE"])
        self.done = False

    def run_once(self) -> int:
        if self.done or not self.enabled:
            return 0
        if self.clock() < self.not_before:
            self.poll_seconds = max(0.1, self.not_before - self.clock())
            return 0
        self.poll_seconds = 60.0
        if never_rebuilt(self.db):
            try:
                with self.open_calls() as call:
                    result = rebuild(self.db, call, self.page, wait=0.0)
            except Conflict:  # another's under way: once it has ended, none is needed
                self.poll_seconds = UNDER_WAY_POLL_SECONDS
                return 0
            log.info("rebuilt the read models: %s", result["records"])
        self.done = True
        return 0

    def reset(self) -> None:
        pass

    def close(self) -> None:
        pass
