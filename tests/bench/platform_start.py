"""How long the whole platform takes to start, as the end-to-end fixture starts it
(the runner of `make up`: migrations, every part's demo, declarations, processes,
until every service answers): what a new part costs every end-to-end test.

    .venv/bin/python -m tests.bench.platform_start [runs] [amqp_uri]

To compare with the tree before a change, run it in turn in both (a copy of this file
in the other, `PYTHONPATH=.` there): a machine busy with other work then weighs on
both alike. Each run gets its own virtual host and data directory; prints each run's
seconds and the median."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import requests

from tests.platform import TEST_ENV, forget_part_users
from tests.support import running_platform


def one_run(amqp_uri: str, env: dict) -> float:
    parsed = urlparse(amqp_uri)
    user, password = parsed.username or "guest", parsed.password or "guest"
    api = f"http://{parsed.hostname}:15672/api"
    vhost = f"pustaka_bench_{uuid.uuid4().hex[:8]}"
    auth = (user, password)
    requests.put(f"{api}/vhosts/{vhost}", auth=auth, timeout=10).raise_for_status()
    every = {"configure": ".*", "write": ".*", "read": ".*"}
    requests.put(f"{api}/permissions/{vhost}/{user}", json=every, auth=auth, timeout=10)
    uri = f"amqp://{parsed.netloc}/{vhost}"
    try:
        with tempfile.TemporaryDirectory() as var:
            started = time.monotonic()
            with running_platform(Path(var), uri, {**TEST_ENV, **env}):
                return time.monotonic() - started
    finally:
        requests.delete(f"{api}/vhosts/{vhost}", auth=auth, timeout=10)
        forget_part_users(uri)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    uri = sys.argv[2] if len(sys.argv) > 2 else "amqp://guest:guest@127.0.0.1:5672/"
    seconds = []
    for number in range(1, runs + 1):
        seconds.append(one_run(uri, {}))
        print(f"run {number}: {seconds[-1]:.1f} s to a ready platform", flush=True)
    print(f"median of {runs}: {statistics.median(seconds):.1f} s")


if __name__ == "__main__":
    main()
