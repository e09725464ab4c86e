"""Playwright's sync API in a test process that eventlet has monkey-patched
(tests/conftest.py patches it first thing, for nameko).

Playwright runs an asyncio loop, in a greenlet of its own, that talks to its driver
process over pipes. Left to eventlet's patches, that loop waits in eventlet's hub
instead of the kernel, and eventlet makes any greenlet that waits in its hub a child
of the hub: when Playwright stops, its greenlet ends into the hub, which has nothing
left to run, and the test process hangs for good. So Playwright gets the real thing:

- a loop that waits on the real poll(2), not on eventlet's green selectors;
- asyncio's pipes and child processes on the real `os` module (eventlet's green
  os.read switches to the hub when a pipe has nothing to read yet);
- a child watcher on a pidfd, and file writes (screenshots) done in the loop's own
  thread: a green thread would never run while the loop blocks in poll;
- and, before it stops, its greenlet handed back to the caller.

Nothing else in the test process uses asyncio, so the real `os` in asyncio's Unix
module changes nothing for the other tiers; it is put back when Playwright stops.
"""

from __future__ import annotations

import asyncio
import asyncio.unix_events
import concurrent.futures
import selectors
from collections.abc import Iterator
from contextlib import contextmanager

import greenlet
from eventlet.patcher import original
from playwright.sync_api import Playwright, sync_playwright

_select = original("select")


class _RealPollSelector(selectors._PollLikeSelector):
    """selectors.PollSelector, on the real poll(2)."""

    _selector_cls = _select.poll
    _EVENT_READ = _select.POLLIN
    _EVENT_WRITE = _select.POLLOUT


class _InlineExecutor(concurrent.futures.ThreadPoolExecutor):
    """Runs each job at once, in the caller's thread (asyncio accepts only a
    ThreadPoolExecutor as a loop's default executor, hence the base class)."""

    def submit(self, fn, /, *args, **kwargs):
        future = concurrent.futures.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


class _RealLoopPolicy(asyncio.DefaultEventLoopPolicy):
    def new_event_loop(self) -> asyncio.AbstractEventLoop:
        loop = asyncio.SelectorEventLoop(_RealPollSelector())
        loop.set_default_executor(_InlineExecutor())
        watcher = asyncio.PidfdChildWatcher()
        watcher.attach_loop(loop)
        self.set_child_watcher(watcher)
        return loop


@contextmanager
def running_playwright() -> Iterator[Playwright]:
    patched_os = asyncio.unix_events.os
    asyncio.unix_events.os = original("os")
    try:
        # Playwright makes its loop, and starts its driver, in start(): only then
        # does it ask the policy for a loop and a child watcher.
        previous_policy = asyncio.get_event_loop_policy()
        asyncio.set_event_loop_policy(_RealLoopPolicy())
        manager = sync_playwright()
        try:
            playwright = manager.start()
        finally:
            asyncio.set_event_loop_policy(previous_policy)
        try:
            yield playwright
        finally:
            # Playwright's private name for its loop's greenlet (pinned version).
            manager._dispatcher_fiber.parent = greenlet.getcurrent()
            playwright.stop()
    finally:
        asyncio.unix_events.os = patched_os
