"""The key store's limits (gateway/edge/auth.py), on a gateway database of the test's
own and the limits in memory: failed attempts from an address are limited in their
own bucket, so a flood of bad keys never refuses a valid key from that address, not
even one this process has never seen; the same bad key again costs no database read."""

from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, event
from sqlalchemy.orm import Session
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from gateway.edge.auth import KeyStore
from gateway.edge.errors import RateLimited, Unauthenticated
from gateway.keys import create_key
from gateway.models import Base

RATE = 5
ADDRESS = "198.51.100.1"


@pytest.fixture
def database(tmp_path):
    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    Base.metadata.create_all(create_engine(url))
    return url


@pytest.fixture
def store(database):
    config = {
        "gateway": {"DATABASE_URL": database},
        "GATEWAY_ANONYMOUS_RATE_LIMIT": RATE,
        "GATEWAY_KEYLESS_IN_FLIGHT": 6,
        "GATEWAY_LIMITS_STORAGE": "memory://",
        "AMQP_URI": "amqp://guest:guest@127.0.0.1:5672/",
    }
    made = KeyStore()
    made.container = SimpleNamespace(config=config)
    made.setup()
    yield made
    made.stop()


def new_key(database, rate_limit=0) -> str:
    engine = create_engine(database)
    with Session(engine) as session, session.begin():
        _, key = create_key(session, "Cabang Uji", "branch", branch="KMN", rate_limit=rate_limit)
    engine.dispose()
    return key


def request(key: str | None, address: str = ADDRESS) -> Request:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    environ = EnvironBuilder(headers=headers).get_environ()
    environ["REMOTE_ADDR"] = address
    return Request(environ)


def statuses(store, key, count) -> list[str]:
    found = []
    for _ in range(count):
        try:
            store.authenticate(request(key), ())
            found.append("ok")
        except (Unauthenticated, RateLimited) as exc:
            found.append(type(exc).__name__)
    return found


def test_a_bad_key_flood_never_refuses_a_valid_key_from_its_address(store, database):
    flood = statuses(store, "pk_000000000000_salah", 4 * RATE)
    assert flood == ["Unauthenticated"] * RATE + ["RateLimited"] * 3 * RATE
    assert statuses(store, None, 1) == ["RateLimited"]  # no key at all counts there too
    # a key this process has never seen, then one it has
    assert statuses(store, new_key(database), 3 * RATE) == ["ok"] * 3 * RATE
    # another address's failed attempts are its own
    with pytest.raises(Unauthenticated):
        store.authenticate(request("pk_000000000000_salah", "203.0.113.9"), ())


def test_a_valid_key_is_limited_by_its_own_rate_only(store, database):
    key = new_key(database, rate_limit=2)
    assert statuses(store, key, 3) == ["ok", "ok", "RateLimited"]
    statuses(store, "pk_000000000000_salah", 10)  # the address is over for failures
    with store.keyless(ADDRESS):  # and its public traffic is its own count
        pass


def test_the_same_bad_key_again_is_refused_without_a_database_read(store):
    reads = []

    def read(conn, cursor, statement, *args):
        if "api_clients" in statement:
            reads.append(statement)

    event.listen(store.engine, "before_cursor_execute", read)
    statuses(store, "pk_000000000000_salah", 3)
    assert len(reads) == 1
