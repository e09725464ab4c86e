"""Records the gateway serves without a call, kept fresh by their owner's events.

Entries are kept by kind and id ("catalog.title", "T000042"), so two services' ids
never meet. A route module declares, beside the routes that serve a kind, which
events change a record of it and which drop one (`Freshness`, and `kept_fresh` to
make the handler). Only what the owner answered (a read, or this gateway's own
write) is kept: an event that says a record changed drops what is kept unless that
is already as new, and until a read as new as the event comes back, no older
answer is kept. So an event can cost a read but never puts what it says into the
cache: one carrying a forged version (only the owner's or the administrator's
broker user can publish on its exchange) cannot pin a record, and the next real
event or read repairs it. A read is at most as stale as the event's delivery
(milliseconds); if events stop arriving (the gateway lost its broker connection),
an entry is still dropped after GATEWAY_CACHE_SECONDS, so staleness is bounded by
that too.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial

from eventlet.event import Event
from nameko.events import BROADCAST, EventHandler
from nameko.extensions import DependencyProvider

from chassis.nameko.intake import SafeQueueConsumer
from chassis.nameko.queues import came_through, events_exchange

log = logging.getLogger(__name__)


def _version(record) -> int | None:
    """A record's version, if its kind has one (records of a kind without one are
    told apart by nothing but time)."""
    version = record.get("version") if isinstance(record, dict) else None
    return version if isinstance(version, int) else None


def _older(version: int | None, than: int | None) -> bool:
    return version is not None and than is not None and version < than


# In place of a record: the owner said it changed to a version no read has given yet.
_CHANGED = object()


class RecordCache:
    def __init__(self, ttl: float, size: int = 100_000):
        self.ttl = ttl
        self.size = size
        # (kind, key) -> (expires, version, record or _CHANGED, the kind's generation)
        self._items: OrderedDict[tuple[str, str], tuple[float, int | None, object, int]] = (
            OrderedDict()
        )
        self._generations: dict[str, int] = {}
        # (kind, key) -> the Event of the owner's answer a request is waiting for
        self._loading: dict[tuple[str, str], Event] = {}
        # (kind, key) being read afresh by a request: the others may take the stale one
        self._refreshing: set[tuple[str, str]] = set()

    def _live(self, kind: str, key: str) -> tuple | None:
        hit = self._items.get((kind, key))
        if hit is None:
            return None
        if hit[3] != self._generations.get(kind, 0):  # cleared by the owner's event
            self._items.pop((kind, key), None)
            return None
        # Expired only by time, it stays for `stale` (an entry the owner said changed
        # is replaced by _CHANGED, never served stale).
        return None if hit[0] < time.monotonic() else hit

    def stale(self, kind: str, key: str):
        """The record kept before its time ran out, while another request is reading
        it afresh (`refreshing`): served meanwhile, rather than every request waiting
        for the one read. None if nobody is refreshing it, or the owner said it
        changed."""
        hit = self._items.get((kind, key))
        if (kind, key) not in self._refreshing or hit is None or hit[2] is _CHANGED:
            return None
        return hit[2] if hit[3] == self._generations.get(kind, 0) else None

    @contextmanager
    def refreshing(self, kind: str, key: str):
        """While a request reads `key` afresh: the others may take `stale`."""
        self._refreshing.add((kind, key))
        try:
            yield
        finally:
            self._refreshing.discard((kind, key))

    def get(self, kind: str, key: str):
        hit = self._live(kind, key)
        return None if hit is None or hit[2] is _CHANGED else hit[2]

    def fetch(self, kind: str, key: str, load, ttl: float | None = None):
        """The record kept, else `load()`'s answer, kept (for `ttl`). Requests for a
        record while it is being loaded wait for that one answer: when a popular
        entry (a search page) expires under load, its owner gets one call, not one
        per waiting request."""
        hit = self.get(kind, key)
        if hit is not None:
            return hit
        loading = self._loading.get((kind, key))
        if loading is not None:
            return loading.wait()
        done = self._loading[(kind, key)] = Event()
        try:
            record = load()
        except Exception as exc:
            del self._loading[(kind, key)]
            done.send_exception(exc)
            raise
        self.put(kind, key, record, ttl)
        del self._loading[(kind, key)]
        done.send(record)
        return record

    def put(self, kind: str, key: str, record, ttl: float | None = None) -> None:
        """Keep `record`, an answer of its owner (for `ttl` seconds, else the cache's
        own), unless something newer is here: a record of a higher version, or an
        event that said it changed to a higher one (a read answered before it)."""
        version = _version(record)
        current = self._live(kind, key)
        if current is not None and _older(version, current[1]):
            return
        self._keep(kind, key, version, record, ttl)

    def changed(self, kind: str, key: str, version: int | None) -> None:
        """The owner's event says the record changed, to `version` if it has one:
        drop what is kept unless it is that version or newer, and keep no older
        answer until a read gives one as new. The last event heard decides (not the
        highest version), so a later real event undoes a forged one."""
        current = self._live(kind, key)
        kept = current is not None and current[2] is not _CHANGED
        if kept and version is not None and not _older(current[1], version):
            return
        self._keep(kind, key, version, _CHANGED, None)

    def _keep(self, kind: str, key: str, version, record, ttl: float | None) -> None:
        expires = time.monotonic() + (self.ttl if ttl is None else ttl)
        self._items[(kind, key)] = (expires, version, record, self._generations.get(kind, 0))
        self._items.move_to_end((kind, key))
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def drop(self, kind: str, key: str) -> None:
        self._items.pop((kind, key), None)

    def clear(self, kind: str) -> None:
        """Forget every record of `kind` at once (entries of an older generation are
        dropped as they are next looked up)."""
        self._generations[kind] = self._generations.get(kind, 0) + 1


class Cache(DependencyProvider):
    def setup(self) -> None:
        self.cache = RecordCache(float(self.container.config["GATEWAY_CACHE_SECONDS"]))

    def get_dependency(self, worker_ctx) -> RecordCache:
        return self.cache


@dataclass(frozen=True)
class Freshness:
    """How records of one kind stay fresh: the owner's events whose data is a new
    version of the record (`put_by`: the record is read afresh, not taken from the
    event), those that make it stale, with the field of their data that names it
    (`drop_by`), and those that make every record of the kind stale (`clear_by`: a
    list, a page of search results)."""

    kind: str
    source: str
    put_by: tuple[str, ...] = ()
    drop_by: dict[str, str] = field(default_factory=dict)
    clear_by: tuple[str, ...] = ()

    def apply(self, cache: RecordCache, event: dict) -> None:
        event_type = event["type"].partition(".")[2]
        if event_type in self.put_by:
            cache.changed(self.kind, event["subject"], _version(event["data"]))
        elif event_type in self.drop_by:
            cache.drop(self.kind, event["data"][self.drop_by[event_type]])
        elif event_type in self.clear_by:
            cache.clear(self.kind)


class UnackedQueueConsumer(SafeQueueConsumer):
    """Consumes without acknowledgements (no_ack): the broker forgets a message as it
    sends it. For the gateway's broadcast queues only, whose events keep a cache that
    dies with the process anyway; an ack per event, sent and then handled by the
    broker, cost more than applying the event. Its own connection and channel: the
    gateway's acknowledged consumers keep theirs."""

    def get_consumers(self, consumer_cls, channel):
        return super().get_consumers(partial(consumer_cls, no_ack=True), channel)

    def ack_message(self, message) -> None:
        pass  # acknowledged as it was sent


class OwnersEvents(EventHandler):
    """A broadcast handler that takes an event only from its owner's exchange: one
    sent straight to its queue (the default exchange, which any client may write to)
    is dropped, so no one but the owner can put a record in the cache.

    With `kinds` (Freshness), it applies each event to the process's cache itself,
    as it comes: a few dictionary operations, for which a nameko worker (its
    context, every dependency of the gateway injected, a green thread) cost several
    times more. Without, the method runs in a worker as nameko's handlers do."""

    queue_consumer = UnackedQueueConsumer()

    def __init__(self, source_service, event_type, kinds=(), **kwargs):
        self.kinds = kinds
        super().__init__(source_service, event_type, **kwargs)

    def setup(self) -> None:
        super().setup()
        self.owner = events_exchange(self.source_service).name
        if self.kinds:
            (cache,) = [d for d in self.container.dependencies if isinstance(d, Cache)]
            self.cache = cache

    def handle_message(self, body, message):
        if came_through(message) != self.owner:
            log.warning("dropped an event that did not come through %s", self.owner)
            return
        if not self.kinds:
            super().handle_message(body, message)
            return
        try:
            for kind in self.kinds:
                kind.apply(self.cache.cache, body)
        except Exception:  # a malformed event must not reach the consumer's thread
            log.exception("could not apply an event of %s to the cache", self.owner)

    def handle_message_processed(self, message, result=None, exc_info=None):
        pass  # nothing to acknowledge; a missed event costs an entry's lifetime


def kept_fresh(*kinds: Freshness):
    """The handler method keeping `kinds` (of one source) fresh, for a route module's
    class: one queue per event type for all of them, so that each event reaches the
    process once, however many kinds it changes. Every gateway process hears every
    event (broadcast), and none is redelivered: a missed one costs at most the
    entry's lifetime."""
    (source,) = {kind.source for kind in kinds}

    def on_event(self, event: dict) -> None:
        """Applied to the process's cache by its entrypoint, as it comes."""

    wanted = (t for k in kinds for t in (*k.put_by, *k.drop_by, *k.clear_by))
    for event_type in dict.fromkeys(wanted):
        on_event = OwnersEvents.decorator(
            source, event_type, kinds=kinds, handler_type=BROADCAST, reliable_delivery=False
        )(on_event)
    return on_event
