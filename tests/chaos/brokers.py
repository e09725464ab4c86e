"""RabbitMQ nodes of the fault suite's own: started from the installed
`rabbitmq-server` under a temporary folder, on ports of their own, never the
machine's shared node (whose configuration pins 5672 and whose cookie is its own).

Each node has its own name (`<run>-<n>@localhost`), AMQP, management and
distribution ports, configuration file, environment file (so the system's
rabbitmq-env.conf, which names the shared node, is not read), plugins file, data and
log folders. The nodes of one `Nodes` share an Erlang cookie in the folder, which is
also the CLI's HOME, so `rabbitmqctl -n NAME` reaches them and nothing else. Run as
root, they run as the `rabbitmq` user (setpriv), which owns the folder.

Always used as a context manager: every node is stopped (killed if it will not stop)
and the folder removed on the way out, failures included.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import requests

from tests.support import free_port

SBIN = Path("/usr/lib/rabbitmq/bin")
# As deploy/k8s/components/rabbitmq-cluster configures its nodes.
CLUSTER_CONF = "cluster_partition_handling = pause_minority\nqueue_leader_locator = balanced\n"
USER = "rabbitmq"


def unavailable() -> str | None:
    """Why this machine cannot run nodes of our own, or None if it can."""
    if not (SBIN / "rabbitmq-server").exists():
        return f"no RabbitMQ server installed ({SBIN / 'rabbitmq-server'})"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(USER)
        except KeyError:
            return f"running as root, but there is no {USER!r} user to run the nodes as"
    return None


@dataclass
class Node:
    name: str
    amqp_port: int
    management_port: int
    dist_port: int
    home: Path
    process: subprocess.Popen | None = None

    @property
    def folder(self) -> Path:
        return self.home / self.name.split("@")[0]

    def uri(self, vhost: str = "/", user: str = "guest", password: str = "guest") -> str:
        return f"amqp://{user}:{password}@127.0.0.1:{self.amqp_port}/{quote(vhost, safe='')}"

    def environment(self) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "HOME": str(self.home),
            "RABBITMQ_NODENAME": self.name,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.amqp_port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_CONFIG_FILE": str(self.folder / "rabbitmq.conf"),
            "RABBITMQ_CONF_ENV_FILE": str(self.folder / "rabbitmq-env.conf"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.folder / "enabled_plugins"),
            "RABBITMQ_MNESIA_BASE": str(self.folder / "data"),
            "RABBITMQ_LOG_BASE": str(self.folder / "log"),
            "RABBITMQ_PID_FILE": str(self.folder / "node.pid"),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            # No busy-waiting schedulers: the nodes share two cores with the platform
            # and the other test runs (RabbitMQ's advice for a shared host).
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "+sbwt none +sbwtdcpu none +sbwtdio none",
        }

    def write_files(self, clustered: bool) -> None:
        for sub in ("data", "log"):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)
        (self.folder / "rabbitmq.conf").write_text(
            f"listeners.tcp.local = 127.0.0.1:{self.amqp_port}\n"
            f"management.tcp.ip = 127.0.0.1\n"
            f"management.tcp.port = {self.management_port}\n"
            # The suite's load is small; a full disk alarm must not be what it measures.
            "disk_free_limit.absolute = 50MB\n" + (CLUSTER_CONF if clustered else "")
        )
        (self.folder / "rabbitmq-env.conf").write_text("")
        (self.folder / "enabled_plugins").write_text("[rabbitmq_management].\n")

    def start(self, wait: bool = True) -> None:
        log = open(self.folder / "log" / "server.out", "ab")  # noqa: SIM115 (the child's)
        self.process = subprocess.Popen(
            as_rabbitmq([str(SBIN / "rabbitmq-server")]),
            env=self.environment(),
            cwd=self.home,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a Ctrl-C of the tests reaches it only through us
        )
        log.close()
        if wait:
            self.await_startup()

    def await_startup(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"{self.name} stopped: see {self.folder / 'log'}")
            if self.ctl("await_startup", "-t", "5", check=False).returncode == 0:
                return
            time.sleep(0.5)
        raise RuntimeError(f"{self.name} did not start within {timeout:g}s")

    def ctl(
        self, *args: str, check: bool = True, timeout: float = 120
    ) -> subprocess.CompletedProcess:
        done = subprocess.run(
            as_rabbitmq([str(SBIN / "rabbitmqctl"), "-q", "-n", self.name, *args]),
            env=self.environment(),
            cwd=self.home,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"rabbitmqctl {' '.join(args)} on {self.name}: {done.stderr}")
        return done

    def stop(self, timeout: float = 60.0) -> None:
        """Stop the node (and its Erlang VM); kill it if it will not stop in time."""
        if self.process is None:
            return
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.ctl("stop", check=False, timeout=timeout)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def api(self, method: str, path: str, **kw) -> requests.Response:
        answer = requests.request(
            method,
            f"http://127.0.0.1:{self.management_port}/api{path}",
            auth=("guest", "guest"),
            timeout=10,
            **kw,
        )
        answer.raise_for_status()
        return answer


def _quietly(act) -> None:
    with contextlib.suppress(Exception):
        act()


def as_rabbitmq(argv: list[str]) -> list[str]:
    """The command as the `rabbitmq` user when we are root (the server refuses to run
    as root, and its files must be its own); as ourselves otherwise."""
    if os.geteuid() != 0:
        return argv
    return ["setpriv", f"--reuid={USER}", f"--regid={USER}", "--init-groups", *argv]


class Nodes:
    """`count` private nodes, started; clustered with the first when `count` > 1."""

    def __init__(self, count: int = 1):
        self.run = f"pustaka-chaos-{uuid.uuid4().hex[:6]}"
        self.home = Path(tempfile.mkdtemp(prefix=f"{self.run}-"))
        self.nodes = [
            Node(f"{self.run}-{n}@localhost", free_port(), free_port(), free_port(), self.home)
            for n in range(1, count + 1)
        ]

    def __enter__(self) -> Nodes:
        try:
            cookie = self.home / ".erlang.cookie"
            cookie.write_text(secrets.token_hex(20).upper())
            cookie.chmod(0o400)
            for node in self.nodes:
                node.write_files(clustered=len(self.nodes) > 1)
            if os.geteuid() == 0:
                shutil.chown(self.home, USER, USER)
                for path in self.home.rglob("*"):
                    shutil.chown(path, USER, USER)
            for node in self.nodes:  # together: each boot is mostly waiting
                node.start(wait=False)
            for node in self.nodes:
                node.await_startup()
            for node in self.nodes[1:]:
                node.ctl("stop_app")
                node.ctl("join_cluster", self.nodes[0].name)
                node.ctl("start_app")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        stopping = [threading.Thread(target=_quietly, args=(n.stop,)) for n in self.nodes]
        for thread in stopping:
            thread.start()
        for thread in stopping:
            thread.join()
        shutil.rmtree(self.home, ignore_errors=True)

    @property
    def first(self) -> Node:
        return self.nodes[0]

    def uri(self, vhost: str = "/") -> str:
        """Every node's URI, separated by ';' (kombu's list of nodes to fail over to)."""
        return ";".join(node.uri(vhost) for node in self.nodes)

    def add_vhost(self, name: str, quorum: bool = False) -> None:
        args = ["add_vhost", name] + (["--default-queue-type", "quorum"] if quorum else [])
        self.first.ctl(*args)
        self.first.ctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*")

    def running(self) -> list[Node]:
        return [node for node in self.nodes if node.running]

    def queues(self, vhost: str) -> list[dict]:
        """The vhost's queues as the management API of a running node lists them."""
        return self.running()[0].api("GET", f"/queues/{quote(vhost, safe='')}").json()
