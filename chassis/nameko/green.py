"""Making this process cooperative: eventlet's green threads, as nameko needs.

`patch_process()` runs first thing in a service process (run.py) and in the test
suite, before anything imports socket or threading. It also makes psycopg2 wait for
the server through eventlet's hub (psycopg2 does its socket I/O in C, out of reach
of monkey patching), and tells the core it runs cooperatively.
"""

from __future__ import annotations

import eventlet  # the chassis package silences its deprecation warning first


def patch_process() -> None:
    eventlet.monkey_patch()
    _green_psycopg2()
    from chassis.runtime import declare_cooperative

    declare_cooperative()


def _green_psycopg2() -> None:
    """A query in one green thread lets the others run."""
    import psycopg2
    from eventlet.hubs import trampoline
    from psycopg2 import extensions

    if extensions.get_wait_callback() is not None:
        return

    def wait(conn, timeout=None):
        while True:
            state = conn.poll()
            if state == extensions.POLL_OK:
                return
            if state == extensions.POLL_READ:
                trampoline(conn.fileno(), read=True)
            elif state == extensions.POLL_WRITE:
                trampoline(conn.fileno(), write=True)
            else:
                raise psycopg2.OperationalError(f"unexpected poll state {state}")

    extensions.set_wait_callback(wait)
