"""Figures for the gateway's rate limits: `make bench-limits` (or `python tests/bench/limits.py`).

Prints, on this machine, from one platform run as `make up` runs it with
GATEWAY_REPLICAS=4 and a Redis of its own for the limits:
  1. what a key limited to BENCH_KEY_RATE (default 20) requests a second is
     admitted, in total across 4, 2 and 1 gateway processes, over BENCH_LIMIT_SECONDS
     (default 5) from its first request, CLIENTS clients asking without a pause on
     fresh connections; first with the limits shared in Redis, then with the Redis
     stopped (each process counting alone, as `memory://` would);
  2. what the limiter costs: a cached keyed read (GET /v1/catalog/branches) at 20
     connections (wrk, BENCH_SECONDS each) across the 4 processes, for a key whose
     limit is never reached, with the limits in Redis and each process's own.
Figures, not assertions.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from deploy.wrk import ensure as ensure_wrk  # noqa: E402
from tests.bench.foundation import SECONDS, Vhost, wrk  # noqa: E402
from tests.redis_server import MISSING, RedisServer  # noqa: E402
from tests.support import admitted, pustaka, running_platform, wait_for  # noqa: E402

KEY_RATE = int(os.environ.get("BENCH_KEY_RATE", "20"))
LIMIT_SECONDS = int(os.environ.get("BENCH_LIMIT_SECONDS", "5"))
CLIENTS = 8
ROUTE = "/v1/catalog/branches"


def new_key(env: dict, name: str, rate: int) -> str:
    out = pustaka(env, "keys", "create", name, "--role", "integrator", "--rate-limit", str(rate))
    return out.stdout.split("key (shown once): ")[1].strip()


def ctl(var: Path, *args: str) -> str:
    supervisorctl = Path(sys.executable).with_name("supervisorctl")
    conf = str(var / "supervisord.conf")
    return subprocess.run(
        [str(supervisorctl), "-c", conf, *args], capture_output=True, text=True, timeout=60
    ).stdout


def gateways(var: Path, count: int) -> None:
    """Exactly `count` gateway processes running (of the 4)."""
    for n in range(4):
        ctl(var, "start" if n < count else "stop", f"gateway:gateway-{n}")
    wait_for(lambda: ctl(var, "status", "gateway:*").count("RUNNING") == count, timeout=60)


def admitted_rates(url: str, env: dict, var: Path, label: str) -> list[float]:
    rates = []
    for count in (4, 2, 1):
        gateways(var, count)
        key = new_key(env, f"Bench {label} {count}", KEY_RATE)
        headers = {"Authorization": f"Bearer {key}"}
        rates.append(admitted(url + ROUTE, headers, LIMIT_SECONDS, CLIENTS) / LIMIT_SECONDS)
    return rates


def main() -> None:
    if not shutil.which("redis-server"):
        sys.exit(MISSING)
    has_wrk = ensure_wrk()
    redis = RedisServer().start()
    env = {"GATEWAY_REPLICAS": "4", "LOCAL_REDIS_URL": redis.url}
    try:
        with tempfile.TemporaryDirectory() as tmp, Vhost() as vhost:
            var = Path(tmp)
            with running_platform(var, vhost.uri, env) as (url, run_env):
                shared = admitted_rates(url, run_env, var, "shared")
                gateways(var, 4)
                key = new_key(run_env, "Bench cost", 1_000_000)
                cost_shared = wrk(url + ROUTE, key) if has_wrk else None
                redis.stop()
                alone = admitted_rates(url, run_env, var, "alone")
                gateways(var, 4)
                cost_alone = wrk(url + ROUTE, key) if has_wrk else None
    finally:
        redis.stop()
    print(
        f"\n1. A key limited to {KEY_RATE}/s: admitted a second over {LIMIT_SECONDS} s, "
        f"{CLIENTS} clients on fresh connections"
    )
    print(f"   {'gateway processes':<20} {'4':>8} {'2':>8} {'1':>8}")
    for name, rates in (("shared in Redis", shared), ("each alone", alone)):
        print(f"   {name:<20} " + " ".join(f"{r:>8.1f}" for r in rates))
    if cost_shared and cost_alone:
        print(f"\n2. GET {ROUTE}, a key under its limit, 4 processes, 20 connections, {SECONDS} s")
        print(f"   {'limits':<20} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'non-2xx':>8}")
        for name, r in (("in Redis", cost_shared), ("each process alone", cost_alone)):
            latency = f"{r['p50']:>7.1f} {r['p99']:>7.1f}"
            print(f"   {name:<20} {r['rps']:>8.0f} {latency} {r['non2xx']:>8}")


if __name__ == "__main__":
    main()
