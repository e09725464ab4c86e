"""The outbox relay: publishes what services committed to their outbox.

`Relay` claims a batch (chassis/outbox.py), publishes it with publisher
confirms, then marks it sent; `OutboxRelay` runs one in every service process
(ServiceBase declares it, so no service can forget it).
"""

from __future__ import annotations

import json
import logging
import time
import uuid

from sqlalchemy import Table
from sqlalchemy.engine import Engine

from chassis.db import DatabaseSession
from chassis.outbox import claim_batch, mark_sent, purge_sent

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
        self.poll_seconds = float(config["OUTBOX_POLL_SECONDS"])
        # After a wake, the commits of the next moment too: under load a claim, a
        # confirm and a mark for several events, not for each (two transactions each)
        self.gather_seconds = GATHER_SECONDS
        self._last_purge = 0.0
        self._published: list[int] = []  # published, to be marked sent with the next claim

    def relay_once(self) -> int:
        """Publish one batch; returns how many events were sent. The batch published
        before is marked sent in the transaction that claims this one: under load a
        transaction a batch, not two (the loop runs until a claim finds nothing, so
        the last batch is marked then)."""
        with self.engine.begin() as conn:
            if self._published:
                mark_sent(conn, self.table, self._published)
            rows = claim_batch(conn, self.table, self.owner, self.batch, self.lease)
        self._published = []
        if not rows:
            self._maybe_purge()
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
        total = 0
        while sent := self.relay_once():
            total += sent
        return total

    run_once = relay_once

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
