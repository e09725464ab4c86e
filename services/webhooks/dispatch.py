"""The delivery worker: claims due deliveries, POSTs them, records the outcomes.

Like the outbox relay, it claims a batch with a lease (replicas share the work; a
process that dies leaves its claims to be taken again when the lease runs out),
does its network I/O with no transaction open, then records every outcome of the
batch in one transaction: one row per attempt, the deliveries updated together.
A 2xx answer delivers; 410 Gone disables the endpoint at once; anything else is
tried again after a random delay up to min(cap, base * 2**attempts) ("full
jitter", so failed deliveries do not come back in step), until the delivery's
time runs out and its endpoint is disabled with the reason. When a delivery that
had found the endpoint down (no answer at all) gets a 2xx, the endpoint is back:
its other deliveries waiting for the same reason are tried at once, rather than
each after its own, by then long, backoff. An ordered endpoint's delivery is
claimed only once its subject's earlier ones are delivered.

Free of any framework: the adapter runs `run_once` in a green thread and gives
`concurrently`, a bounded pool to send a batch with.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import and_, exists, not_, or_, select, update
from sqlalchemy.orm import Session, aliased

from chassis.bulk import insert_rows, update_rows
from chassis.claims import claiming

from . import signing
from .endpoints import disable, signing_secrets
from .models import Attempt, Delivery, Endpoint
from .settings import Settings
from .transport import Outcome, Sender

log = logging.getLogger(__name__)
# After a commit wakes the worker, it waits this long for the events that follow
# (a burst commits one event at a time), so that a batch is not one delivery.
GATHER_SECONDS = 0.01


@dataclass(frozen=True)
class Claimed:
    seq: int
    endpoint_seq: int
    event_id: str
    envelope: str
    attempts: int
    give_up_at: float
    unreachable: bool


def _claimable(now: float):
    earlier = aliased(Delivery)
    return (
        Delivery.status == "pending",
        Delivery.next_attempt_at <= now,
        or_(Delivery.lease_until.is_(None), Delivery.lease_until < now),
        exists().where(Endpoint.seq == Delivery.endpoint_seq, Endpoint.enabled),
        or_(
            not_(Delivery.ordered),
            not_(
                exists().where(
                    and_(
                        earlier.endpoint_seq == Delivery.endpoint_seq,
                        earlier.subject == Delivery.subject,
                        earlier.seq < Delivery.seq,
                        earlier.status == "pending",
                    )
                )
            ),
        ),
    )


def claim(session: Session, owner: str, limit: int, lease: float) -> list[Claimed]:
    """Lease up to `limit` due deliveries to `owner`, oldest due first."""
    now = time.time()
    due = (
        select(Delivery.seq)
        .where(*_claimable(now))
        .order_by(Delivery.next_attempt_at, Delivery.seq)
        .limit(limit)
    )
    table, dialect = Delivery.__table__, session.bind.dialect.name
    rows = session.execute(
        claiming(table, table.c.seq, due, dialect, *_claimable(now))
        .values(lease_owner=owner, lease_until=now + lease)
        .returning(
            Delivery.seq,
            Delivery.endpoint_seq,
            Delivery.event_id,
            Delivery.envelope,
            Delivery.attempts,
            Delivery.give_up_at,
            Delivery.unreachable,
        )
        .execution_options(synchronize_session=False)
    ).all()
    return [Claimed(*row) for row in rows]


class Dispatcher:
    """Delivers what is due, a batch at a time, for one process."""

    def __init__(
        self,
        transaction: Callable,
        settings: Settings,
        sender: Sender | None = None,
        concurrently: Callable[[Callable, Iterable], Iterable] = map,
    ):
        self.transaction = transaction  # DatabaseSession.transaction
        self.settings = settings
        self.sender = sender or Sender(
            settings.timeout_seconds, settings.allow_private_urls, settings.idle_connections
        )
        self.concurrently = concurrently
        self.owner = uuid.uuid4().hex
        self.poll_seconds = settings.poll_seconds
        self.gather_seconds = GATHER_SECONDS

    def run_once(self) -> int:
        """Deliver one batch; how many deliveries it held."""
        with self.transaction() as session:
            batch = claim(session, self.owner, self.settings.batch, self.settings.lease_seconds)
            if not batch:
                return 0
            wanted = {c.endpoint_seq for c in batch}
            endpoints = {
                e.seq: (e.url, signing_secrets(e, time.time()))
                for e in session.scalars(select(Endpoint).where(Endpoint.seq.in_(wanted)))
            }
        # Network I/O, with no transaction open.
        outcomes = list(
            self.concurrently(lambda c: self._send(c, *endpoints[c.endpoint_seq]), batch)
        )
        with self.transaction() as session:
            self._record(session, batch, outcomes)
        return len(batch)

    def reset(self) -> None:
        self.sender.close()

    close = reset

    def _send(self, claimed: Claimed, url: str, secrets: list[str]) -> tuple[float, Outcome]:
        body = claimed.envelope.encode()
        now = time.time()
        headers = signing.headers(secrets, claimed.event_id, int(now), body)
        return now, self.sender.post(url, body, headers)

    def _record(self, session: Session, batch: list[Claimed], outcomes: list) -> None:
        now = time.time()
        attempts, changes, disabling, back = [], [], {}, set()
        for claimed, (sent_at, outcome) in zip(batch, outcomes, strict=True):
            attempts.append(
                {
                    "delivery_seq": claimed.seq,
                    "attempted_at": sent_at,
                    "status_code": outcome.status,
                    "error": outcome.error,
                    "latency_ms": outcome.latency_ms,
                    "response": outcome.excerpt,
                }
            )
            change = {
                "seq": claimed.seq,
                "status": "pending",
                "attempts": claimed.attempts + 1,
                "unreachable": False,
                "next_attempt_at": now,
                "delivered_at": None,
                "last_error": None,
                "lease_owner": None,
                "lease_until": None,
            }
            if outcome.status is not None and 200 <= outcome.status < 300:
                change.update(status="delivered", delivered_at=now)
                if claimed.unreachable:
                    back.add(claimed.endpoint_seq)
            else:
                error = outcome.error or f"answered {outcome.status}"
                change.update(last_error=error, unreachable=outcome.status is None)
                if outcome.status == 410:
                    disabling[claimed.endpoint_seq] = "the endpoint answered 410 Gone"
                elif now >= claimed.give_up_at:
                    change["status"] = "failed"
                    disabling.setdefault(
                        claimed.endpoint_seq,
                        f"no delivery succeeded within {self.settings.give_up_seconds:g}s; "
                        f"the last attempt: {error}",
                    )
                else:
                    change["next_attempt_at"] = now + self._backoff(claimed.attempts + 1)
            changes.append(change)
        insert_rows(session, Attempt.__table__, attempts)
        update_rows(session, Delivery.__table__, changes)
        if back:
            session.execute(
                update(Delivery)
                .where(
                    Delivery.endpoint_seq.in_(back),
                    Delivery.status == "pending",
                    Delivery.unreachable,
                    Delivery.next_attempt_at > now,
                )
                .values(next_attempt_at=now)
            )
        for endpoint in session.scalars(
            select(Endpoint).where(Endpoint.seq.in_(disabling)).with_for_update()
        ):
            disable(session, endpoint, disabling[endpoint.seq], now)
            log.warning("disabled webhook endpoint %s: %s", endpoint.id, endpoint.disabled_reason)

    def _backoff(self, attempts: int) -> float:
        ceiling = min(
            self.settings.retry_cap_seconds, self.settings.retry_base_seconds * 2**attempts
        )
        return random.uniform(0, ceiling)
