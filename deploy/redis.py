"""Make sure a Redis answers at a URL, for the gateway processes to share their rate
limits in (gateway/edge/ratelimits.py): use the one there, else start a local
server, else install it (Debian/Ubuntu, as root) and start it, else say exactly how
to get one.

  python -m deploy.redis              a Redis at LOCAL_REDIS_URL, or how to get one
  python -m deploy.redis --installed  redis-server installed, if it can be (never fails)

`make up` does the first when it runs more than one gateway process. `make test`
does the second: the tests start servers of their own (and stop one, to see the
gateway through an outage), and skip, saying why, where there is no redis-server.
A server started here keeps nothing on disk (the counts are worth nothing after a
restart) and outlives the platform, as the broker does.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from urllib.parse import urlparse

import redis

from chassis.config import load_config
from deploy import apt
from deploy.local import var_dir

HOW_TO = """No Redis answers at {url}, and this script cannot start one here.
The gateway processes share their rate limits there (one process alone needs none:
GATEWAY_REPLICAS=1). Get one in any of these ways, then run the command again:
  - Debian/Ubuntu: sudo apt-get install -y redis-server
  - macOS (Homebrew): brew install redis && brew services start redis
  - any machine with Docker: docker run -d -p 6379:6379 redis:7
  - or point LOCAL_REDIS_URL at a Redis you have: export LOCAL_REDIS_URL=redis://host:6379/0"""


def log(message: str) -> None:
    print(f"[redis] {message}", flush=True)


def answers(url: str, timeout: float = 2.0) -> bool:
    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def is_local(url: str) -> bool:
    return urlparse(url).hostname in ("127.0.0.1", "localhost", "::1")


def server_command(url: str) -> list[str]:
    """redis-server for `url`'s port, on loopback only, in the background, with
    nothing written to disk but its log."""
    parsed = urlparse(url)
    port = parsed.port or 6379
    var = var_dir()
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1"]
    command += ["--daemonize", "yes", "--save", "", "--appendonly", "no"]
    command += ["--dir", str(var / "run"), "--pidfile", str(var / "run" / f"redis-{port}.pid")]
    command += ["--logfile", str(var / "log" / f"redis-{port}.log")]
    if parsed.password:
        command += ["--requirepass", parsed.password]
    return command


def install() -> bool:
    if not apt.can_install():
        return False
    log("installing redis-server (Debian package)")
    return apt.install("redis-server")


def start_local(url: str) -> bool:
    if not shutil.which("redis-server") and not install():
        return False
    if answers(url):  # the package's own service may have started it
        return True
    log("starting a local Redis server")
    subprocess.run(server_command(url), timeout=30, check=False)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if answers(url):
            return True
        time.sleep(0.2)
    return False


def ensure(url: str) -> bool:
    if not answers(url) and not (is_local(url) and start_local(url)):
        print(HOW_TO.format(url=url), file=sys.stderr)
        return False
    log(f"Redis answers at {urlparse(url).hostname}:{urlparse(url).port or 6379}")
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--installed", action="store_true", help="redis-server only, for tests")
    args = parser.parse_args()
    if args.installed:
        if not (shutil.which("redis-server") or install()):
            log("no redis-server here: the tests that need one skip (apt-get install redis-server)")
        return 0
    return 0 if ensure(load_config()["LOCAL_REDIS_URL"]) else 1


if __name__ == "__main__":
    sys.exit(main())
