"""A Redis server of a test's own, on a free port, that the test may stop and start
again (an outage of the store the gateway's limits are shared in). Nothing is kept
on disk. Tests using it skip, saying how to get one, where redis-server is not
installed (`python -m deploy.redis` installs it on Debian/Ubuntu as root, and
`make test` runs that)."""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest

from deploy.redis import answers
from tests.support import free_port

MISSING = (
    "redis-server is not installed: `python -m deploy.redis` installs it (Debian/Ubuntu, "
    "as root; `make test` runs it), or `apt-get install redis-server`"
)


class RedisServer:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> RedisServer:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not answers(self.url, timeout=0.5):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"redis-server on port {self.port} did not answer")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def redis_server_fixture(scope: str = "module"):
    """A fixture `redis_server`: a RedisServer started for the module (or `scope`)."""

    @pytest.fixture(scope=scope)
    def redis_server():
        if not shutil.which("redis-server"):
            pytest.skip(MISSING)
        server = RedisServer().start()
        yield server
        server.stop()

    return redis_server
