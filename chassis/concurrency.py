"""Work that needs no database, done on another core while the caller writes."""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

from .runtime import cooperative

T = TypeVar("T")
R = TypeVar("R")


def map_ahead(function: Callable[[T], R], items: Iterable[T], depth: int = 2) -> Iterator[R]:
    """`function(item)` for each item, in order, computed in a worker process up to
    `depth` items ahead of the caller. `function` and the items must pickle.

    A process, not a thread: a thread's Python would hold the GIL that the
    caller needs back after each database round trip, and lose more than it
    gains. An error in `items` or in `function` reaches the caller after the
    results before it; a caller that stops early stops the worker. In a
    cooperative runtime (a service) the work is done in line instead: forking a
    green threads' hub is not safe."""
    if cooperative():
        yield from map(function, items)
        return
    # fork: the worker starts at once with everything imported, not after a re-import.
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    pending: deque[Future] = deque()
    source, failure = iter(items), None
    try:
        while True:
            while source is not None and len(pending) < depth:
                try:
                    pending.append(pool.submit(function, next(source)))
                except StopIteration:
                    source = None
                except Exception as exc:  # raised once the results before it are out
                    source, failure = None, exc
            if not pending:
                break
            yield pending.popleft().result()
        if failure is not None:
            raise failure
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
