"""What kind of process this is, as its entry point says: the messaging adapter's
runner (and the test suite, which runs services in-process) declare a cooperative
runtime, in which many green threads share one OS thread. The CLI, benchmarks and
importers declare nothing and run plain threads.

Declared, not guessed: the core must not look for a framework in `sys.modules`, so
that the framework stays replaceable and a library imported by accident changes
nothing. Only what differs is asked here: a cooperative process must not fork its
hub (see concurrency.py).
"""

from __future__ import annotations

_cooperative = False


def declare_cooperative() -> None:
    """Called once by a runtime of green threads, before any work starts."""
    global _cooperative
    _cooperative = True


def cooperative() -> bool:
    return _cooperative
