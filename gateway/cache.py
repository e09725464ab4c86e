"""Records the gateway serves without a call, kept fresh by the owning service's
events. A read is at most as stale as the event's delivery (milliseconds); if
events stop arriving (the gateway lost its broker connection), an entry is still
dropped after GATEWAY_CACHE_SECONDS, so staleness is bounded by that too."""

from __future__ import annotations

import time
from collections import OrderedDict

from nameko.extensions import DependencyProvider


class RecordCache:
    def __init__(self, ttl: float, size: int = 100_000):
        self.ttl = ttl
        self.size = size
        self._items: OrderedDict[str, tuple[float, int, dict]] = OrderedDict()

    def get(self, key: str) -> dict | None:
        hit = self._items.get(key)
        if hit is None:
            return None
        if hit[0] < time.monotonic():
            self._items.pop(key, None)
            return None
        return hit[2]

    def put(self, key: str, record: dict) -> None:
        """Keep `record` unless a newer version of it is already here."""
        version = record.get("version", 0)
        current = self._items.get(key)
        if current is not None and current[1] > version:
            return
        self._items[key] = (time.monotonic() + self.ttl, version, record)
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def drop(self, key: str) -> None:
        self._items.pop(key, None)


class Cache(DependencyProvider):
    def setup(self) -> None:
        self.cache = RecordCache(float(self.container.config["GATEWAY_CACHE_SECONDS"]))

    def get_dependency(self, worker_ctx) -> RecordCache:
        return self.cache
