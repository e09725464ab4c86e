"""Overlapping work that waits on a database with work that does not."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from queue import Full, Queue
from typing import TypeVar

T = TypeVar("T")
_END = object()


def read_ahead(items: Iterable[T], depth: int = 1) -> Iterator[T]:
    """The items of `items`, in order, each next one computed in a thread while the
    caller works on the current one. An exception in `items` is raised to the
    caller at the point it happened; when the caller stops early, so does the thread.
    Under eventlet's monkey patching the thread is a green thread: the overlap then
    comes from the caller's waits on the network (a PostgreSQL query, say)."""
    queue: Queue = Queue(maxsize=depth)
    stopped = threading.Event()

    def put(entry) -> bool:
        while not stopped.is_set():
            try:
                queue.put(entry, timeout=0.1)
                return True
            except Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put((item, None)):
                    return
            put((_END, None))
        except BaseException as exc:  # handed to the caller, raised there
            put((_END, exc))

    threading.Thread(target=produce, name="read-ahead", daemon=True).start()
    try:
        while True:
            item, error = queue.get()  # the thread always ends by putting _END
            if item is _END:
                if error is not None:
                    raise error
                return
            yield item
    finally:
        stopped.set()
