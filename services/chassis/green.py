"""Whether this process runs under eventlet's monkey patching, as a service does
(run.py patches first thing) and the CLI, benchmarks and importers do not. Two
things differ there: psycopg2 waits through eventlet's hub, which rules out COPY,
and a process must not fork its hub."""

from __future__ import annotations

import sys


def patched() -> bool:
    eventlet = sys.modules.get("eventlet")  # never imported: certainly not patched
    return eventlet is not None and eventlet.patcher.is_monkey_patched("socket")
