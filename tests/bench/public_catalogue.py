"""Figures for the public catalogue: `make bench-public-catalogue` (or
`python tests/bench/public_catalogue.py`).

Prints, on this machine, in one run, on a platform whose catalogue is a copy of the
synthetic one of BENCH_SEARCH_TITLES titles (default 1,000,000, built once and kept:
tests/bench/large_catalogue.py):
  1. the keyless search page (GET /katalog?q=perpustakaan, with its facets) through
     the gateway at 20 connections (wrk, BENCH_SECONDS), p50/p95/p99 and throughput
     as a multiple of the bare nameko @http route making one RPC (tests/bench/bare.py)
     measured in the same run; as the platform runs (the gateway keeps search pages)
     and with its caches off (every request a search with facets in the catalogue).
     wrk's connections are one address, so here the per-address limit of keyless
     traffic is raised above the load (GATEWAY_ANONYMOUS_RATE_LIMIT);
  2. with the platform's own per-address limit: a keyless flood from one address
     (40 connections) of the search page, of OAI-PMH's Identify, and of the search
     page again with a new connection for every request (Connection: close), beside
     a keyed client's searches (JSON, 10 connections): the keyed client's figures
     alone and during each flood, how much of the flood was refused (429) and how
     many of its requests a second were served (the per-address limit allows
     GATEWAY_ANONYMOUS_RATE_LIMIT).
Figures, not assertions.

  BENCH_SECONDS=10  BENCH_SEARCH_TITLES=1000000
  BENCH_PUBLIC_PARTS=page,flood   which of the two to run
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from deploy.wrk import ensure as ensure_wrk  # noqa: E402
from tests.bench.foundation import (  # noqa: E402
    CACHES_OFF,
    SEARCH_TITLES,
    SECONDS,
    Vhost,
    admin_key,
    bare_route,
    wrk,
)
from tests.bench.large_catalogue import cached_catalogue  # noqa: E402
from tests.support import running_platform  # noqa: E402

PAGE = "/katalog?q=perpustakaan"
CLOSE = ("Connection: close",)  # a new connection for every request
# (what is flooded, the flood's headers): a page, a route answering XML, and the page
# from a client that opens a new connection for every request
FLOODED = ((PAGE, ()), ("/oai?verb=Identify", ()), (PAGE, CLOSE))
PARTS = os.environ.get("BENCH_PUBLIC_PARTS", "page,flood").split(",")
KEYED = "/v1/catalog/titles?q=perpustakaan"
PERCENTILE = Path(__file__).with_name("percentile.lua")
UNLIMITED = {"GATEWAY_ANONYMOUS_RATE_LIMIT": "1000000"}


def row(name: str, r: dict, bare: dict) -> str:
    ratio = r["rps"] / bare["rps"] if bare["rps"] else float("nan")
    latency = f"{r['p50']:>7.1f} {r.get('p95', float('nan')):>7.1f} {r['p99']:>7.1f}"
    return f"   {name:<52} {r['rps']:>8.0f} {latency} {r['non2xx']:>8} {ratio:>7.2f}"


def header() -> str:
    return (
        f"   {'route':<52} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
        f" {'non-2xx':>8} {'x bare':>7}"
    )


def platform_on(var: Path, catalogue: Path, env: dict):
    """A platform on a fresh copy of the large catalogue (the kept file is never opened)."""
    (var / "data").mkdir(parents=True)
    copy = var / "data" / "catalog.db"
    shutil.copyfile(catalogue, copy)
    return {**env, "CATALOG__DATABASE_URL": f"sqlite:///{copy}"}


def keyless_page(tmp: Path, catalogue: Path) -> list[tuple[str, dict]]:
    rows = []
    for extra, how in (({}, ""), (CACHES_OFF, ", uncached")):
        var = tmp / f"page{len(rows)}"
        env = platform_on(var, catalogue, {**UNLIMITED, **extra})
        with Vhost() as vhost, running_platform(var, vhost.uri, env) as (base, _):
            label = f"GET {PAGE}, keyless, {SEARCH_TITLES:,} titles{how}"
            rows.append((label, wrk(base + PAGE, script=PERCENTILE)))
    return rows


def flood(tmp: Path, catalogue: Path) -> tuple[dict, list[tuple[str, dict, dict]]]:
    """The keyed client alone, then beside a keyless flood of each of FLOODED:
    (alone, [(path, keyed beside it, the flood)])."""
    var = tmp / "flood"
    env = platform_on(var, catalogue, {})
    with Vhost() as vhost, running_platform(var, vhost.uri, env) as (base, _):
        key = admin_key(var)
        alone = wrk(base + KEYED, key, PERCENTILE, connections=10)
        runs = []
        for path, headers in FLOODED:
            time.sleep(1)  # the address's window of the flood before empties
            with ThreadPoolExecutor(1) as pool:
                flooding = pool.submit(wrk, base + path, None, PERCENTILE, 40, headers=headers)
                during = wrk(base + KEYED, key, PERCENTILE, connections=10)
                label = path + (", a new connection each" if headers else "")
                runs.append((label, during, flooding.result()))
    return alone, runs


def main() -> None:
    ensure_wrk()
    print(f"synthetic catalogue of {SEARCH_TITLES:,} titles", flush=True)
    catalogue = cached_catalogue(SEARCH_TITLES)
    with tempfile.TemporaryDirectory(prefix="pustaka-bench-") as tmp:
        bare = bare_route()
        if "page" in PARTS:
            pages = keyless_page(Path(tmp), catalogue)
            print(f"\n1. The public search page, 20 connections, {SECONDS} s each (wrk)")
            print(header())
            print(row("bare nameko @http + one RPC", bare, bare))
            for name, r in pages:
                print(row(name, r, bare))
        if "flood" not in PARTS:
            return
        alone, floods = flood(Path(tmp), catalogue)
        print(f"\n2. A keyless flood beside a keyed client, {SECONDS} s (wrk)")
        print(header())
        print(row("keyed search (JSON, 10 connections), alone", alone, bare))
        for path, during, flooded in floods:
            print(row(f"keyed search, beside a keyless flood of {path}", during, bare))
            print(row("  the flood (40 connections, 1 address)", flooded, bare))
            refused, sent = flooded["non2xx"], flooded["requests"]
            print(
                f"     its answers refused (429): {refused / sent if sent else 0:.1%}; "
                f"served: {(sent - refused) / SECONDS:.1f} a second; "
                f"socket errors: {flooded['socket_errors']}"
            )


if __name__ == "__main__":
    main()
