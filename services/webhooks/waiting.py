"""What waits for a disabled endpoint. Its events are still stored, as deliveries
in the state `waiting` (made so, too, are its pending ones when it is disabled), and
when it is enabled again they become pending together, sent oldest first (an
ordered endpoint's, each subject's one after another).

Waiting is bounded, in number and in time, so an endpoint left disabled costs a
known amount and is not flooded when enabled: at most DISABLED_WAIT_EVENTS
deliveries per endpoint, none waiting longer than DISABLED_WAIT_SECONDS (as long as
a delivery is retried, by default). Beyond either
bound the oldest are dropped, never silently: each stays listed, in the state
`dropped` with the reason (its event id, type and subject kept, its body not), and
the drop is logged. The bounds are applied as events arrive for a disabled endpoint
and when it is enabled.

A waiting delivery's next_attempt_at is when it began to wait (ix_deliveries_due
finds the ones waiting too long); a partial index of the waiting ones per endpoint
(ix_deliveries_waiting) finds how many wait, so the ingest of an enabled endpoint's
events pays nothing for this."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from .contract import ENDPOINT_ID
from .models import WAITING, Delivery, Endpoint
from .settings import Settings

log = logging.getLogger(__name__)


def still_disabled(session: Session, endpoint_seqs: Iterable[int]) -> set[int]:
    """Which of these endpoints are disabled, each held so (a shared lock) until the
    caller's transaction ends: enabling one waits for the deliveries stored for it
    as waiting, and so turns them pending too."""
    seqs = sorted(endpoint_seqs)
    if not seqs:
        return set()
    return set(
        session.scalars(
            select(Endpoint.seq)
            .where(Endpoint.seq.in_(seqs), ~Endpoint.enabled)
            .order_by(Endpoint.seq)
            .with_for_update(read=True)
        )
    )


def hold(session: Session, endpoint_seq: int, now: float) -> int:
    """A disabled endpoint's pending deliveries wait, from now."""
    return session.execute(
        update(Delivery)
        .where(Delivery.endpoint_seq == endpoint_seq, Delivery.status == "pending")
        .values(status="waiting", next_attempt_at=now)
    ).rowcount


def release(session: Session, endpoint_seq: int, now: float, settings: Settings) -> int:
    """An enabled endpoint's waiting and pending deliveries, due now, each with a
    whole retry period; what is claimed first is the oldest."""
    return session.execute(
        update(Delivery)
        .where(Delivery.endpoint_seq == endpoint_seq, Delivery.status.in_(("pending", "waiting")))
        .values(status="pending", next_attempt_at=now, give_up_at=now + settings.give_up_seconds)
    ).rowcount


def _free(now: float):
    # A delivery being sent (leased, from before the endpoint was disabled) is left
    # to its sender, which records its outcome.
    return or_(Delivery.lease_until.is_(None), Delivery.lease_until < now)


def bound(session: Session, endpoint_seqs: Iterable[int], now: float, settings: Settings) -> int:
    """Drop what waits beyond the bounds: for any endpoint, what has waited too
    long; for these endpoints, the oldest beyond the number that may wait. How many
    were dropped."""
    dropped: Counter = Counter()
    too_long = f"dropped: it waited {settings.disabled_wait_seconds:g}s for the endpoint"
    for (seq,) in session.execute(
        update(Delivery)
        .where(
            Delivery.status == "waiting",
            Delivery.next_attempt_at < now - settings.disabled_wait_seconds,
            _free(now),
        )
        .values(status="dropped", envelope="", last_error=too_long)
        .returning(Delivery.endpoint_seq)
        .execution_options(synchronize_session=False)
    ):
        dropped[seq] += 1
    most = settings.disabled_wait_events
    too_many = f"dropped: more than {most} deliveries waited for the endpoint"
    for endpoint_seq in sorted(set(endpoint_seqs)):
        # The index's own condition, written as it is: SQLite then reads the index
        # alone (with `status = ?` it would read every row, seven times slower).
        waiting = (Delivery.endpoint_seq == endpoint_seq, WAITING)
        last_dropped = session.scalar(
            select(Delivery.seq).where(*waiting).order_by(Delivery.seq.desc()).offset(most).limit(1)
        )
        if last_dropped is not None:
            dropped[endpoint_seq] += session.execute(
                update(Delivery)
                .where(*waiting, Delivery.seq <= last_dropped, _free(now))
                .values(status="dropped", envelope="", last_error=too_many)
                .execution_options(synchronize_session=False)
            ).rowcount
    for endpoint_seq, count in sorted(dropped.items()):
        endpoint = ENDPOINT_ID.format(endpoint_seq)
        log.warning("dropped %d deliveries waiting for disabled endpoint %s", count, endpoint)
    return sum(dropped.values())
