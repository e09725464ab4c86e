"""The whole platform, started by the same runner as `make up`, on its own vhost,
port and data directory; catalogue on SQLite, then on PostgreSQL."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest
import requests

from services.chassis.config import ROOT

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Platform:
    def __init__(self, url: str, env: dict, var: Path):
        self.url = url
        self.env = env
        self.var = var
        self.admin_key = (var / "demo-admin.key").read_text().strip()

    def get(self, path, key=None, **kw):
        return requests.get(self.url + path, headers=self._auth(key, kw), timeout=15, **kw)

    def post(self, path, key=None, **kw):
        return requests.post(self.url + path, headers=self._auth(key, kw), timeout=15, **kw)

    def patch(self, path, key=None, **kw):
        return requests.patch(self.url + path, headers=self._auth(key, kw), timeout=15, **kw)

    def _auth(self, key, kw) -> dict:
        """Headers: any given, plus the key's (the admin's unless one is named; "" for none)."""
        headers = kw.pop("headers", {})
        key = self.admin_key if key is None else key
        return {**headers, "Authorization": f"Bearer {key}"} if key else headers

    def cli(self, *args) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "services.chassis.cli", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def new_key(self, name, role, *extra) -> str:
        out = self.cli("keys", "create", name, "--role", role, "--rate-limit", "0", *extra)
        return re.search(r"key \(shown once\): (\S+)", out).group(1)

    def ctl(self, *args) -> str:
        conf = str(self.var / "supervisord.conf")
        done = subprocess.run(
            [str(BIN / "supervisorctl"), "-c", conf, *args],
            capture_output=True,
            text=True,
            timeout=60,
        )
        return done.stdout

    def wait_ready(self, timeout=60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/ready", timeout=5).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.3)
        raise AssertionError("the platform did not become ready")


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def platform(request, rabbit_manager, tmp_path_factory):
    var = tmp_path_factory.mktemp("platform")
    amqp = urlparse(request.config.getoption("RABBIT_AMQP_URI"))
    vhost = f"pustaka_e2e_{uuid.uuid4().hex[:8]}"
    rabbit_manager.create_vhost(vhost)
    rabbit_manager.set_vhost_permissions(vhost, amqp.username, ".*", ".*", ".*")
    port = free_port()
    env = {
        **os.environ,
        "AMQP_URI": f"amqp://{amqp.netloc}/{vhost}",
        "PUSTAKA_VAR": str(var),
        "DATA_DIR": str(var / "data"),
        "WEB_SERVER_ADDRESS": f"127.0.0.1:{port}",
        "RPC_TIMEOUT_SECONDS": "3",
        "OUTBOX_POLL_SECONDS": "0.2",
        "CATALOG_REPLICAS": "2",
    }
    if request.param == "postgresql":
        env["CATALOG__DATABASE_URL"] = request.getfixturevalue("make_postgres_db")()
    log = open(var / "platform.log", "w")  # noqa: SIM115 - open while the platform runs
    proc = subprocess.Popen(
        [sys.executable, "-m", "deploy.local"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while not (var / "demo-admin.key").exists():
            assert proc.poll() is None, (var / "platform.log").read_text()
            assert time.monotonic() < deadline, "the runner did not get as far as the admin key"
            time.sleep(0.2)
        platform = Platform(f"http://127.0.0.1:{port}", env, var)
        platform.wait_ready()
        yield platform
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        rabbit_manager.delete_vhost(vhost)
