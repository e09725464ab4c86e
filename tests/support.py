"""Helpers for tests and benchmarks: watching the broker, waiting for something to
happen, running the whole platform."""

import atexit
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from contextlib import contextmanager, suppress
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import amqp
import requests
from kombu import Connection, Queue
from nameko.rpc import ServiceProxy
from nameko.standalone.rpc import ClusterProxy
from nameko.standalone.rpc import ClusterRpcProxy as NamekoClusterRpcProxy
from pyroaring import BitMap
from sqlalchemy import event, select

from chassis.config import ROOT
from chassis.envelope import make_envelope
from chassis.nameko.publisher import BatchPublisher
from chassis.nameko.queues import events_exchange
from chassis.trust import uri_user
from services.catalog import postings
from services.catalog.models import Title


class Subscriber:
    def __init__(self, amqp_uri: str):
        self.conn = Connection(amqp_uri)
        self.channel = self.conn.channel()

    def bind(self, service: str, routing_key: str = "#") -> Queue:
        queue = Queue(
            f"test-{service}-{routing_key}",
            exchange=events_exchange(service),
            routing_key=routing_key,
            durable=False,
            auto_delete=False,
        )(self.channel)
        queue.declare()
        return queue

    def drain(self, queue: Queue, expect: int, timeout: float = 10.0) -> list:
        """Wait until `expect` messages have arrived (then a moment more, to catch any
        extra), and return every one that came."""
        got, deadline = [], time.monotonic() + timeout
        settle = None
        while time.monotonic() < deadline:
            message = queue.get(no_ack=True)
            if message is not None:
                got.append(message)
                continue
            if len(got) >= expect:
                settle = settle or time.monotonic() + 0.3
                if time.monotonic() > settle:
                    break
            time.sleep(0.02)
        return got

    def close(self):
        self.conn.release()


class _AsUser(ClusterProxy):
    def __init__(self, worker_ctx, reply_listener, user: str):
        self._user = user
        super().__init__(worker_ctx, reply_listener)

    def __getattr__(self, name):
        if name not in self._proxies:
            self._proxies[name] = ServiceProxy(
                self._worker_ctx, name, self._reply_listener, user_id=self._user
            )
        return self._proxies[name]


class ClusterRpcProxy(NamekoClusterRpcProxy):
    """nameko's standalone proxy, its requests naming their broker user (`user_id`,
    the URI's) as the platform's do: a part answers no request that names none."""

    def __init__(self, config, **kwargs):
        super().__init__(config, **kwargs)
        self._proxy = _AsUser(self._worker_ctx, self._reply_listener, uri_user(config["AMQP_URI"]))


def rpc_as(config, caller, timeout: float = 15):
    """A proxy whose calls carry `caller` (a chassis Caller) as the gateway's do."""
    return ClusterRpcProxy(config, context_data={"caller": caller.as_context()}, timeout=timeout)


def publish_event(config, source, event_type, subject, data, times=1) -> None:
    """Publish one event of `source` through its exchange, `times` times (the same id:
    a redelivery)."""
    event = make_envelope(source, event_type, subject, data)
    publisher = BatchPublisher(config["AMQP_URI"], f"{source}.events")
    publisher.publish_batch([(event_type, event["id"], json.dumps(event), None)] * times)
    publisher.close()


@contextmanager
def http_server(handler):
    """A real HTTP server on loopback answering with `handler` (a
    BaseHTTPRequestHandler class) in a thread of its own; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def scratch_postgres(server: str):
    """A PostgreSQL database of its own on `server` (the URL of any database there),
    for a benchmark: its URL; the database is dropped after."""
    from sqlalchemy import create_engine, text

    from chassis.db import normalise_url

    admin = create_engine(normalise_url(server), isolation_level="AUTOCOMMIT")
    name = f"pustaka_bench_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def database_of(url: str, metadata):
    """A DatabaseSession on `url` with `metadata`'s tables made, its engine disposed
    after (the domain tests' database of a schema of their own)."""
    from chassis.db import make_engine, open_database

    engine = make_engine(url)
    metadata.create_all(engine)
    engine.dispose()
    db = open_database(url, metadata)
    try:
        yield db
    finally:
        db.engine.dispose()


def seen_branches(session, branches, codes=("SPN", "KMN", "PDT")) -> None:
    """A part's branch read model (`branches`, its BranchReadModel) filled as the
    catalogue's events would fill it."""
    for code in codes:
        branches.seen(session, {"code": code, "name": f"Cabang {code}"})


def run(db, fn, *args, **kwargs):
    """`fn(session, *args)` in one read-write transaction of a part's database."""
    with db.transaction() as session:
        return fn(session, *args, **kwargs)


def read(db, fn, *args, **kwargs):
    """`fn(session, *args)` in one read-only transaction."""
    with db.reading() as session:
        return fn(session, *args, **kwargs)


def emitted(db, event_type=None) -> list[dict]:
    """The envelopes a part's outbox holds (of one type, if named), oldest first."""
    outbox = db.metadata.tables["outbox"]
    with db.reading() as session:
        stmt = select(outbox.c.envelope).order_by(outbox.c.id)
        if event_type:
            stmt = stmt.where(outbox.c.event_type == event_type)
        return [json.loads(e) for e in session.scalars(stmt)]


def id_aliases(public_id: str) -> list[str]:
    """Spellings that int() or str.isdigit() take for the id's number, or for numbers
    no BIGINT holds: none of them may name a record or fail in the database."""
    prefix = public_id.rstrip("0123456789")
    digits = public_id[len(prefix) :]
    fullwidth = digits.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})
    arabic_indic = digits.translate({ord(d): ord(d) + 0x0630 for d in "0123456789"})
    return [
        prefix + fullwidth,
        prefix + arabic_indic,
        f"{prefix}0{digits}",
        f"{prefix}{int(digits)}",
        f"{prefix}{digits[:-1]}²",
        f"{prefix}{2**63}",
        prefix + "9" * 5000,
    ]


def pustaka(env: dict, *args) -> subprocess.CompletedProcess:
    """Run an operator's command (`pustaka ...`) as an operator does: its own process."""
    return subprocess.run(
        [sys.executable, "-m", "pustaka", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def cli_env(tmp_path: Path, amqp_uri: str = "amqp://guest:guest@127.0.0.1:5672/") -> dict:
    """An operator's environment for `pustaka(...)`: data under `tmp_path`."""
    return {**os.environ, "DATA_DIR": str(tmp_path / "data"), "AMQP_URI": amqp_uri}


def bodies(messages) -> list[dict]:
    return [json.loads(m.body) for m in messages]


def stored_index(session) -> dict[str, BitMap]:
    """The catalogue's search index as stored: each word's titles, in its bitmaps
    with what is pending over them, as a search reads them."""
    return {t: bits for t, bits in postings.bitmaps_with_prefix(session, "").items() if bits}


def index_of_documents(session) -> dict[str, BitMap]:
    """The search index the titles' search documents call for."""
    index: dict[str, BitMap] = defaultdict(BitMap)
    for seq, doc in session.execute(select(Title.seq, Title.search_doc)):
        for term in doc.split():
            index[term].add(seq)
    return dict(index)


def wait_for(predicate, timeout: float = 10.0, interval: float = 0.05):
    """Poll until predicate() is truthy; return its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _FromAddress(requests.adapters.HTTPAdapter):
    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, source_address=(self.address, 0), **kwargs)


def client_at(address: str) -> requests.Session:
    """A requests session whose connections come from `address`: another client, as
    the gateway sees it (every 127.x.y.z is this machine's own on Linux)."""
    session = requests.Session()
    session.mount("http://", _FromAddress(address))
    return session


def admitted(url: str, headers: dict, seconds: int, clients: int = 8) -> int:
    """How many requests to `url` were answered 200 in the first `seconds` from the
    first one, `clients` clients asking without a pause, each request on a new
    connection (which the kernel spreads over the processes listening on the port).
    Every answer must be a 200 or a 429."""
    start = time.monotonic()
    answers: list[tuple[float, int]] = []

    def client() -> None:
        while time.monotonic() < start + seconds:
            status = requests.get(url, headers=headers, timeout=10).status_code
            answers.append((time.monotonic(), status))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 20)
    assert {s for _, s in answers} <= {200, 429}, answers
    return sum(1 for at, status in answers if status == 200 and at < start + seconds)


def stop_process(proc: subprocess.Popen, timeout: float = 30) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()


def copy_sqlite(source: Path, target: Path) -> None:
    """An SQLite database copied whole, whatever its WAL holds (SQLite's backup)."""
    origin, copied = sqlite3.connect(source), sqlite3.connect(target)
    try:
        origin.backup(copied)
    finally:
        origin.close()
        copied.close()


_demo_data: list[Path] = []  # the folder below, once made in this process


def demo_data() -> Path:
    """A DATA_DIR of SQLite files as `make up` leaves them before its processes start:
    every part migrated and its demo loaded. Made once a process: the loading takes
    longer than anything else in a platform's start."""
    if not _demo_data:
        from pustaka import platform

        folder = Path(tempfile.mkdtemp(prefix="pustaka-demo-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        config = platform.load_config(environ={"DATA_DIR": str(folder)})
        list(platform.migrate(config))
        list(platform.load_demos(config))
        _demo_data.append(folder)
    return _demo_data[0]


def seed_demo_data(data_dir: Path, env: dict) -> None:
    """A copy of demo_data() in a platform's new DATA_DIR, for each part whose
    database is its SQLite file there (`make up` then finds them migrated and loaded,
    as on any run after its first)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    for source in demo_data().glob("*.db"):
        if f"{source.stem.upper()}__DATABASE_URL" not in env:
            copy_sqlite(source, data_dir / source.name)


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux's /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # gone meanwhile
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def stop_platform(proc: subprocess.Popen, timeout: float = 30) -> None:
    """Stop `pustaka up` (supervisord, which it becomes) and every process it runs,
    all at once. Left to itself supervisord stops its programs one after another,
    each when the one before has exited: more than ten seconds a platform, for no
    test's sake. Once it has its TERM it starts none again, so each process gets the
    TERM supervisord would send it, only not in turn."""
    running = children(proc.pid)
    proc.send_signal(signal.SIGTERM)
    for pid in running:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextmanager
def running_platform(var: Path, amqp_uri: str, extra_env: dict | None = None):
    """The whole platform, started by the same runner as `make up`, in `var` (data,
    logs, demo key), on a free port; yields (base URL, environment) once the gateway
    is ready and every service answers (/v1/status)."""
    port = free_port()
    env = {
        **os.environ,
        "AMQP_URI": amqp_uri,
        "PUSTAKA_VAR": str(var),
        "DATA_DIR": str(var / "data"),
        "WEB_SERVER_ADDRESS": f"127.0.0.1:{port}",
        **(extra_env or {}),
    }
    url = f"http://127.0.0.1:{port}"
    if not Path(env["DATA_DIR"]).exists():  # a first run, as `make up`'s first
        seed_demo_data(Path(env["DATA_DIR"]), env)
    with open(var / "platform.log", "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "pustaka", "up"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            # Migrations and every part's demo come first: on PostgreSQL, on a busy
            # machine, that alone has taken most of a minute.
            wait_http(url + "/ready", proc, var / "platform.log", timeout=150)
            wait_services(url, log=var / "platform.log")
            yield url, env
        finally:
            stop_platform(proc)


def services_ok(url: str) -> bool:
    states = requests.get(url + "/v1/status", timeout=10).json()["services"]
    return all(s["state"] == "ok" for s in states.values())


def wait_services(url: str, timeout: float = 60.0, log: Path | None = None) -> None:
    """Until every service of the platform answers its health call; if one does not,
    the failure shows the last lines its processes logged (in `log`)."""
    if wait_for(lambda: services_ok(url), timeout=timeout, interval=0.3):
        return
    states = requests.get(url + "/v1/status", timeout=10).json()["services"]
    failing = [name for name, state in states.items() if state["state"] != "ok"]
    lines = log.read_text(errors="replace").splitlines() if log and log.exists() else []
    # supervisord's lines name the process ('insight-0'), the process's own its pid.
    spawned = re.compile(r"spawned: '(\w+)-\d+' with pid (\d+)")
    pids = {m[2] for line in lines if (m := spawned.search(line)) and m[1] in failing}
    marks = [f"'{name}-" for name in failing] + [f"[{pid}]" for pid in pids]
    theirs = [line for line in lines if any(mark in line for mark in marks)]
    raise AssertionError(
        f"services not all ok: {states}\n"
        + "\n".join(theirs[-40:] + ["-- the log's last lines:"] + lines[-20:])
    )


def wait_http(url: str, proc=None, log: Path | None = None, timeout: float = 60.0) -> None:
    """Poll `url` until it answers 200; fail early if `proc` (logging to `log`) stops."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"{proc.args} stopped:\n" + (log.read_text() if log else ""))
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):  # not listening, or not yet answering
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer 200 within {timeout:g}s")


def broker_as(amqp_uri: str, user: str, password: str) -> amqp.Connection:
    """A plain AMQP connection as `user`, to the host and vhost of `amqp_uri`."""
    admin = urlparse(amqp_uri)
    conn = amqp.Connection(
        f"{admin.hostname}:{admin.port or 5672}",
        userid=user,
        password=password,
        virtual_host=admin.path[1:] or "/",
    )
    conn.connect()
    return conn


def refused(conn: amqp.Connection, act) -> bool:
    """Whether the broker refuses `act(channel)` (it closes the channel saying so)."""
    channel = conn.channel()
    try:
        act(channel)
        channel.basic_qos(0, 1, False)  # a round trip: a refused publish shows here
    except amqp.exceptions.AccessRefused:
        return True
    return False


@contextmanager
def round_trips(engine):
    """The statements `engine`'s connections send PostgreSQL meanwhile, each a round
    trip: every cursor's (SQLAlchemy's, and those chassis/bulk.py takes from the
    driver), the pool's pings, and the BEGIN and COMMIT psycopg2 sends itself."""
    from psycopg2.extensions import cursor as plain

    sent: list[str] = []

    class Counted(plain):
        def execute(self, statement, params=None):
            sent.append(" ".join(str(statement).split()))
            return super().execute(statement, params)

        def executemany(self, statement, params):
            sent.append(" ".join(str(statement).split()))
            return super().executemany(statement, params)

    def connect(dbapi_conn, _record):
        dbapi_conn.cursor_factory = Counted

    def begin(_conn):
        sent.append("BEGIN")

    def commit(_conn):
        sent.append("COMMIT")

    listeners = [("connect", connect), ("begin", begin), ("commit", commit)]
    for name, listener in listeners:
        event.listen(engine, name, listener)
    engine.dispose()  # every connection from now on is a new one, counted
    with engine.connect():
        pass  # one in the pool, as a running service has: its checkout pings it if told to
    sent.clear()
    try:
        yield sent
    finally:
        for name, listener in listeners:
            event.remove(engine, name, listener)
        engine.dispose()  # no connection keeps the counting cursor


def requested(db, method: str, fn, *args, **kwargs):
    """`fn(session, *args)` as the @write entrypoint `method` runs it for a request
    from the gateway: once, its answer recorded with it (DatabaseSession.write_once)."""
    once = db.acting_as(None, f"gw:{method}:{uuid.uuid4().hex}")
    return once.write_once(method, [args, kwargs], lambda session: fn(session, *args, **kwargs))
