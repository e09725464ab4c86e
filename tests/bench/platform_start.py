"""How long the whole platform takes to start, as the end-to-end fixture starts it
(the runner of `make up`: migrations, every part's demo, declarations, processes,
until every service answers), with and without one part: what adding it costs.

    .venv/bin/python -m tests.bench.platform_start [runs] [part] [amqp_uri]

Runs alternate (the platform without `part`, then with it), so a machine busy with
other work weighs on both alike. Each run gets its own virtual host and data
directory; prints each run's seconds and the medians."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import requests

from pustaka.parts import PARTS
from tests.platform import TEST_ENV, forget_part_users
from tests.support import running_platform

# The platform without one part (PUSTAKA_PARTS=tests.bench.platform_start:WITHOUT),
# the part named by PUSTAKA_BENCH_WITHOUT.
WITHOUT = tuple(p for p in PARTS if p.name != os.environ.get("PUSTAKA_BENCH_WITHOUT", "insight"))


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
    part = sys.argv[2] if len(sys.argv) > 2 else "insight"
    uri = sys.argv[3] if len(sys.argv) > 3 else "amqp://guest:guest@127.0.0.1:5672/"
    without = {"PUSTAKA_PARTS": "tests.bench.platform_start:WITHOUT", "PUSTAKA_BENCH_WITHOUT": part}
    seconds: dict[str, list[float]] = {f"without {part}": [], f"with {part}": []}
    for number in range(1, runs + 1):
        for label, env in zip(seconds, (without, {}), strict=True):
            seconds[label].append(one_run(uri, env))
            print(f"run {number} {label}: {seconds[label][-1]:.1f} s", flush=True)
    for label, each in seconds.items():
        print(f"median {label}, {runs} runs: {statistics.median(each):.1f} s")


if __name__ == "__main__":
    main()
