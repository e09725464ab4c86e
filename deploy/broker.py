"""Make sure a RabbitMQ answers at AMQP_URI: use the one there, else start the local
node, else install it (Debian/Ubuntu, as root), else say exactly how to get one.

  python -m deploy.broker [--management]

--management also enables the management plugin, which nameko's per-test virtual
hosts need (tests create and drop a vhost each through its HTTP API), on
BROKER_MANAGEMENT_PORT. AMQP_URI may list a cluster's nodes (separated by ';'): one
answering is enough, and the management API is the first node's.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlparse

from kombu import Connection

from chassis.config import broker_nodes, load_config
from deploy import apt

HOW_TO = """No RabbitMQ answers at {uri}, and this script cannot start one here.
Get one in any of these ways, then run the command again:
  - Debian/Ubuntu: sudo apt-get install -y rabbitmq-server && sudo rabbitmq-server -detached
  - macOS (Homebrew): brew install rabbitmq && brew services start rabbitmq
  - any machine with Docker: docker run -d -p 5672:5672 -p 15672:15672 rabbitmq:3-management
  - or point AMQP_URI at a broker you have: export AMQP_URI=amqp://user:pass@host:5672/"""


def log(message: str) -> None:
    print(f"[broker] {message}", flush=True)


def answers(uri: str, timeout: float = 3.0) -> bool:
    try:
        with Connection(uri, connect_timeout=timeout) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
        return True
    except Exception:
        return False


def is_local(uri: str) -> bool:
    return urlparse(broker_nodes(uri)[0]).hostname in ("127.0.0.1", "localhost", "::1")


def _run(*cmd: str, timeout: float = 300) -> bool:
    log("$ " + " ".join(cmd))
    return subprocess.run(cmd, timeout=timeout).returncode == 0


def install() -> bool:
    if not apt.can_install():
        return False
    log("installing rabbitmq-server (Debian package)")
    return apt.install("rabbitmq-server")


def start_local(uri: str) -> bool:
    if not shutil.which("rabbitmq-server") and not install():
        return False
    log("starting a local RabbitMQ node")
    subprocess.run(["rabbitmq-server", "-detached"], timeout=60)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        ping = subprocess.run(
            ["rabbitmq-diagnostics", "-q", "ping"], capture_output=True, timeout=30
        )
        if ping.returncode == 0 and answers(uri):
            return True
        time.sleep(1)
    return False


def management_url(uri: str, port: int = 15672) -> str:
    return f"http://{urlparse(broker_nodes(uri)[0]).hostname}:{port}/api/overview"


def management_answers(uri: str, port: int = 15672) -> bool:
    parsed = urlparse(broker_nodes(uri)[0])
    request = urllib.request.Request(management_url(uri, port))
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(
        None, request.full_url, parsed.username or "guest", parsed.password or "guest"
    )
    opener = urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(manager))
    try:
        with opener.open(request, timeout=3) as response:
            return response.status == 200
    except Exception:
        return False


def ensure_management(uri: str, port: int = 15672) -> bool:
    if management_answers(uri, port):
        return True
    # Only the machine's own node, on its standard port, is ours to change.
    if not (is_local(uri) and port == 15672 and shutil.which("rabbitmq-plugins")):
        log(f"the management plugin is not reachable on port {port}; enable it on the broker")
        return False
    _run("rabbitmq-plugins", "enable", "rabbitmq_management", timeout=120)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if management_answers(uri, port):
            return True
        time.sleep(1)
    return False


def ensure(uri: str, management: bool = False, management_port: int = 15672) -> bool:
    if not answers(uri) and not (is_local(uri) and start_local(uri)):
        print(HOW_TO.format(uri=uri), file=sys.stderr)
        return False
    nodes = [urlparse(node) for node in broker_nodes(uri)]
    log("RabbitMQ answers at " + ", ".join(f"{n.hostname}:{n.port or 5672}" for n in nodes))
    return not management or ensure_management(uri, management_port)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--management", action="store_true")
    args = parser.parse_args()
    config = load_config()
    port = int(config["BROKER_MANAGEMENT_PORT"])
    return 0 if ensure(config["AMQP_URI"], args.management, port) else 1


if __name__ == "__main__":
    sys.exit(main())
