"""The outbox relay: publishes what services committed to their outbox.

`Relay` claims a batch (chassis/outbox.py), publishes it with publisher
confirms, then marks it sent; `OutboxRelay` runs one in every service process
(ServiceBase declares it, so no service can forget it).

The events its own process commits, it is told of by id (Background.wake), and
claims by id. It looks through the whole outbox for unsent events only once per
OUTBOX_POLL_SECONDS (and until it has caught up): those another process committed
and did not publish (it died first), or whose lease ran out. On PostgreSQL that
search walks every row sent since the table was last vacuumed, so it must not run
for every write.
"""

from __future__ import annotations

import json
import logging
import time
import uuid

from sqlalchemy import Table
from sqlalchemy.engine import Engine

from chassis.db import DatabaseSession
from chassis.outbox import claim_batch, claim_committed, mark_sent, purge_sent

from .background import Background
from .publisher import BatchPublisher

log = logging.getLogger(__name__)
GATHER_SECONDS = 0.02


class Relay:
    """Moves committed events from one database's outbox to the broker."""

    def __init__(
        self,
        engine: Engine,
        table: Table,
        service: str,
        amqp_uri: str,
        config: dict,
        answered: Table | None = None,
    ):
        self.engine = engine
        self.table = table
        self.answered = answered  # the answered requests, purged with sent events
        self.owner = uuid.uuid4().hex
        self.batch = int(config["OUTBOX_BATCH"])
        self.lease = float(config["OUTBOX_LEASE_SECONDS"])
        self.keep_sent = float(config["OUTBOX_KEEP_SENT_SECONDS"])
        self.keep_answered = float(config["ANSWERED_REQUESTS_KEEP_SECONDS"])
        self.publisher = BatchPublisher(amqp_uri, f"{service}.events")
        self.search_seconds = float(config["OUTBOX_POLL_SECONDS"])
        # After a wake, the commits of the next moment too: under load a claim, a
        # confirm and a mark for several events, not for each (two transactions each)
        self.gather_seconds = GATHER_SECONDS
        self._last_purge = 0.0
        self._published: list[int] = []  # published, to be marked sent with the next claim
        self._committed: list[int] = []  # committed in this process, not yet claimed
        self._search_at = 0.0  # when to look through the whole outbox next (monotonic)

    def committed(self, ids) -> None:
        """The outbox ids of events a commit of this process stored."""
        self._committed.extend(ids)

    def relay_once(self) -> int:
        """Publish one batch; returns how many events were sent. The batch published
        before is marked sent in the transaction that claims this one: under load a
        transaction a batch, not two (the loop runs until nothing is claimed, so the
        last batch is marked then)."""
        while True:
            now = time.monotonic()
            search = now >= self._search_at
            ids = [] if search else self._committed[: self.batch]
            del self._committed[: len(ids)]
            if not (search or ids or self._published):
                return 0
            with self.engine.begin() as conn:
                if self._published:
                    mark_sent(conn, self.table, self._published)
                if search:
                    rows = claim_batch(conn, self.table, self.owner, self.batch, self.lease)
                elif ids:
                    rows = claim_committed(conn, self.table, self.owner, ids, self.lease)
                else:  # only the last batch to mark
                    rows = []
            self._published = []
            if search and len(rows) < self.batch:  # caught up with the whole outbox
                self._search_at = now + self.search_seconds
                if not rows:
                    self._maybe_purge()
            if rows or not self._committed:
                break
            # Those ids were claimed by another relay already: on to the next ones.
        if not rows:
            return 0
        # Network I/O happens here, outside any transaction.
        self.publisher.publish_batch(
            [
                (row.event_type, row.event_id, row.envelope, json.loads(row.context or "null"))
                for row in rows
            ]
        )
        self._published = [row.id for row in rows]
        return len(rows)

    def relay_all(self) -> int:
        """Publish every unsent event of the outbox, whoever committed it."""
        total = 0
        while True:
            self._search_at = 0.0
            sent = self.relay_once()
            if not sent:
                return total
            total += sent

    def run_once(self) -> int:
        """The loop's (Background): a batch, and how many it sent if it was full and
        more may wait; 0 if it took all there was. Commits made while it published
        then wait for the next wake's gather, not claimed at once a few at a time
        (a transaction, a confirm and a mark for every one or two events, under
        steady writes to a part that spends little on each)."""
        sent = self.relay_once()
        return sent if sent >= self.batch else 0

    @property
    def poll_seconds(self) -> float:
        """How long the loop waits for a wake: a batch published and not yet marked
        sent is marked after a gather at most, if no commit wakes it sooner."""
        return self.gather_seconds if self._published else self.search_seconds

    def _maybe_purge(self) -> None:
        now = time.time()
        if now - self._last_purge > 3600:
            self._last_purge = now
            with self.engine.begin() as conn:
                purge_sent(conn, self.table, now - self.keep_sent)
                if self.answered is not None:
                    answered_at = self.answered.c.answered_at
                    conn.execute(
                        self.answered.delete().where(answered_at < now - self.keep_answered)
                    )

    def close(self) -> None:
        if self._published:
            try:
                with self.engine.begin() as conn:
                    mark_sent(conn, self.table, self._published)
            except Exception:  # they are sent again when their lease runs out
                log.exception("could not mark %d published events sent", len(self._published))
            self._published = []
        self.publisher.close()

    def reset(self) -> None:
        """After a failure: a fresh connection to the broker next time (what was
        published stays to be marked with the next claim)."""
        self.publisher.close()


class OutboxRelay(Background):
    """Runs the relay in the service's process, for the service's `Database`. A
    commit through that `Database` wakes it at once; polling every
    OUTBOX_POLL_SECONDS catches events committed by a process that died before
    its relay ran."""

    identifier = "outbox-relay"
    wakes_on = frozenset({"outbox"})  # not a handler's commit that emitted nothing

    def build(self, config: dict, database: DatabaseSession) -> Relay:
        return Relay(
            self.database.engine,
            self.database.metadata.tables["outbox"],
            self.container.service_name,
            config["AMQP_URI"],
            config,
            self.database.metadata.tables.get("answered_requests"),
        )

    @property
    def relay(self) -> Relay:
        return self.worker
