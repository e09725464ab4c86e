"""The whole platform for a tier's tests: `Platform`, a client of one that the runner
started, and `platform_fixture`, which makes the pytest fixture that starts it.

Each tier that needs the platform declares its fixture in its conftest.py, with the
databases it runs on: the e2e tier on SQLite and on PostgreSQL, the browser tier on
SQLite alone (its tests are about pages, not storage, and stay fast).
"""

import contextlib
import json
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import amqp
import pytest
import requests
from nameko.exceptions import deserialize

from chassis.nameko.deadletters import list_parked
from chassis.trust import part_user, reply_key
from gateway.cli import gateway_db
from gateway.keys import create_key
from pustaka import platform as composition
from pustaka.broker_users import Broker
from tests.support import broker_as, pustaka, running_platform, wait_for, wait_http, wait_services

BIN = Path(sys.executable).parent

# Short timings so that failures show within a test's time, two catalogue
# replicas so that sharing a queue is exercised.
TEST_ENV = {
    "RPC_TIMEOUT_SECONDS": "3",
    # One process a part: each costs a platform's start a second or two of CPU, and
    # the tests of replicas ask for two (test_platform.py, the fault suite).
    "CATALOG_REPLICAS": "1",
    # Every keyless request of the tests comes from one address; the limit's own
    # test (tests/e2e/test_limits.py) sets its own.
    "GATEWAY_ANONYMOUS_RATE_LIMIT": "1000",
    "OAI_ADMIN_EMAIL": "pustaka@perpustakaan.sungaipenuh.example",
    # A platform on PostgreSQL is ten processes or so on the server every test shares
    # (max_connections 100 by default): each keeps few idle connections open.
    "DATABASE_POOL_SIZE": "2",
}


class Platform:
    def __init__(self, url: str, env: dict, var: Path):
        self.url = url
        self.env = env
        self.var = var
        self.admin_key = (var / "demo-admin.key").read_text().strip()

    def request(self, method, path, key=None, **kw):
        return requests.request(
            method, self.url + path, headers=self._auth(key, kw), timeout=15, **kw
        )

    def get(self, path, key=None, **kw):
        return self.request("GET", path, key, **kw)

    def post(self, path, key=None, **kw):
        return self.request("POST", path, key, **kw)

    def put(self, path, key=None, **kw):
        return self.request("PUT", path, key, **kw)

    def patch(self, path, key=None, **kw):
        return self.request("PATCH", path, key, **kw)

    def delete(self, path, key=None, **kw):
        return self.request("DELETE", path, key, **kw)

    def _auth(self, key, kw) -> dict:
        """Headers: any given, plus the key's (the admin's unless one is named; "" for none)."""
        headers = kw.pop("headers", {})
        key = self.admin_key if key is None else key
        return {**headers, "Authorization": f"Bearer {key}"} if key else headers

    def cli(self, *args) -> str:
        done = pustaka(self.env, *args)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def new_key(self, name, role, *extra) -> str:
        """A key with no rate limit, made as `pustaka keys create` makes it (its
        create_key, on the gateway's database) but in this process: the command's own
        process costs seconds of CPU, and the tests make dozens of keys. The command
        itself is tested in tests/domain/pustaka/test_cli.py. `extra`: "--branch",
        "KMN" or "--partner", "P0001"."""
        options = dict(zip(extra[::2], extra[1::2], strict=True))
        db = gateway_db(composition.load_config(environ=self.env))
        try:
            with db.transaction() as session:
                _, key = create_key(
                    session, name, role, options.get("--branch"), options.get("--partner"), 0
                )
        finally:
            db.engine.dispose()
        return key

    def ctl(self, *args) -> str:
        """supervisorctl on the platform's processes."""
        conf = str(self.var / "supervisord.conf")
        done = subprocess.run(
            [str(BIN / "supervisorctl"), "-c", conf, *args],
            capture_output=True,
            text=True,
            timeout=60,
        )
        return done.stdout

    def broker_as(self, part: str) -> amqp.Connection:
        """A plain AMQP connection as `part`'s own broker user (the runner made it)."""
        passwords = json.loads((self.var / "broker-passwords.json").read_text())
        uri = self.env["AMQP_URI"]
        return broker_as(uri, part_user(part, uri), passwords[part])

    def call(self, service: str, method: str, *args, context: dict, timeout: float = 10.0):
        """`service.method(*args)` over RPC as the gateway makes a call: as its broker
        user, the only one a part answers (chassis/trust.py)."""
        conn = self.broker_as("gateway")
        try:
            channel, token = conn.channel(), uuid.uuid4().hex
            queue = f"rpc.reply-gateway-{token}"
            channel.queue_declare(queue, exclusive=True)
            channel.queue_bind(queue, "nameko-rpc", reply_key("gateway", token))
            request = amqp.Message(
                json.dumps({"args": list(args), "kwargs": {}}),
                content_type="application/json",
                application_headers={f"nameko.{k}": v for k, v in context.items()},
                reply_to=reply_key("gateway", token),
                correlation_id=token,
                user_id=part_user("gateway", self.env["AMQP_URI"]),
            )
            channel.basic_publish(request, "nameko-rpc", f"{service}.{method}")
            reply = wait_for(lambda: channel.basic_get(queue, no_ack=True), timeout=timeout)
        finally:
            conn.close()
        assert reply is not None, f"{service}.{method} did not answer"
        body = json.loads(reply.body)
        if body["error"]:
            raise deserialize(body["error"])
        return body["result"]

    def send_poison(self, services, rounds: int = 1, seconds: float = 0.0) -> int:
        """The messages that stopped or wedged parts, `rounds` of each kind to each of
        `services`' health method, as the gateway's user (the one sender a part
        answers), spread over `seconds`: how many were sent."""
        conn, me = self.broker_as("gateway"), part_user("gateway", self.env["AMQP_URI"])
        sent, total = 0, rounds * len(POISON) * len(services)
        try:
            channel = conn.channel()
            for _ in range(rounds):  # more than once: a message that kills comes again
                for service in services:
                    for kind in POISON:
                        channel.basic_publish(kind(me), "nameko-rpc", f"{service}.health")
                        sent += 1
                        time.sleep(seconds / total)
        finally:
            conn.close()
        return sent

    def parked_requests(self, service: str) -> int:
        """How many requests `service` refused and parked (what `pustaka dlq list`
        lists, read here without a process of its own)."""
        parked = list_parked(self.env["AMQP_URI"], service)
        return sum(p.original_queue.startswith("rpc-") for p in parked)

    def wait_ready(self, timeout=60.0) -> None:
        wait_http(self.url + "/ready", timeout=timeout)
        wait_services(self.url, timeout=timeout)


def _poison(body: bytes, content_type: str, **properties):
    def message(user: str) -> amqp.Message:
        return amqp.Message(
            body,
            content_type=content_type,
            correlation_id=uuid.uuid4().hex,
            user_id=user,
            **properties,
        )

    return message


_CALLER = {"nameko.caller": {"client_id": "poison", "role": "admin"}}
_TO = {"reply_to": "reply.gateway.0"}  # a reply key no one listens on
# Each kind of message a part must refuse once and park (chassis/nameko/
# intake.py), by who sends it: no reply_to, no caller, a body that is not the method's
# arguments, a content type no part takes, a body that is not the JSON it says.
POISON = (
    _poison(b'{"args": [], "kwargs": {}}', "application/json", application_headers=_CALLER),
    _poison(b'{"args": [], "kwargs": {}}', "application/json", **_TO),
    _poison(
        b'{"args": [1, 2, 3], "kwargs": {}}', "application/json", application_headers=_CALLER, **_TO
    ),
    _poison(b"\x80\x04K\x01.", "application/x-python-serialize", **_TO),
    _poison(b"{not json", "application/json", **_TO),
)


def forget_part_users(amqp_uri: str) -> None:
    """The broker users the runner made for each part on this test's vhost."""
    admin = Broker(amqp_uri, composition.load_config()["BROKER_MANAGEMENT_PORT"])
    for part in composition.parts():
        with contextlib.suppress(Exception):  # a run that stopped before making them
            admin.delete_user(part_user(part.name, amqp_uri))


@contextlib.contextmanager
def started_platform(request, database: str, env: dict | None = None):
    """The platform on `database` ("sqlite" or "postgresql": every part on a
    PostgreSQL database of its own) on a vhost, port and data directory of its own,
    with TEST_ENV and `env`; all of it removed after."""
    rabbit_manager = request.getfixturevalue("rabbit_manager")
    var = request.getfixturevalue("tmp_path_factory").mktemp("platform")
    amqp = urlparse(request.config.getoption("RABBIT_AMQP_URI"))
    vhost = f"pustaka_e2e_{uuid.uuid4().hex[:8]}"
    rabbit_manager.create_vhost(vhost)
    rabbit_manager.set_vhost_permissions(vhost, amqp.username, ".*", ".*", ".*")
    extra = {**TEST_ENV, **(env or {})}
    if database == "postgresql":
        demo = request.getfixturevalue("postgres_demo")
        for part in composition.parts():
            name = f"{part.name.upper()}__DATABASE_URL"
            extra[name] = request.getfixturevalue("make_postgres_db")(demo[part.name])
    uri = f"amqp://{amqp.netloc}/{vhost}"
    try:
        with running_platform(var, uri, extra) as (url, run_env):
            yield Platform(url, run_env, var)
    finally:
        rabbit_manager.delete_vhost(vhost)
        forget_part_users(uri)


def platform_fixture(
    databases=("sqlite", "postgresql"),
    env: dict | None = None,
    scope: str = "module",
    shared_on_sqlite: bool = False,
):
    """A module-scoped fixture `platform`: the whole platform, started by the same
    runner as `make up`, on its own vhost, port and data directory, once for each of
    `databases` (the catalogue's; "postgresql" runs are marked `postgres` and skip
    where no server answers). `env` adds to or overrides TEST_ENV. scope="session":
    one platform for every module that uses the fixture (tests that only add to it).
    shared_on_sqlite: the SQLite run is on the session's shared platform (for tests
    that only add records of their own), the others each start one.

    In a conftest.py: `platform = platform_fixture()`."""
    params = [
        pytest.param(db, marks=pytest.mark.postgres) if db == "postgresql" else db
        for db in databases
    ]

    @pytest.fixture(scope=scope, params=params)
    def platform(request):
        if shared_on_sqlite and request.param == "sqlite":
            yield request.getfixturevalue("shared_platform")
            return
        with started_platform(request, request.param, env) as started:
            yield started

    return platform


def on_the_shared_platform():
    """`platform` for tests that only add records of their own to it: the session's
    one SQLite platform (`shared_platform`, tests/conftest.py), started once for all
    of them instead of once per module.

    In a test module or conftest.py: `platform = on_the_shared_platform()`."""

    @pytest.fixture(scope="session")
    def platform(shared_platform):
        return shared_platform

    return platform
