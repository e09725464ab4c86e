"""The publishing side of the event benchmark, run as its own process so it has a
core to itself: `python -m tests.bench.emitters MODE AMQP_URI DB_URL N [ARG]`.

  relay   fill the outbox with N events, wait for a line on stdin, relay them all
  nameko  publish N events with nameko's EventDispatcher, from ARG concurrent emitters
  paced   commit ARG events a second for N seconds through a service with OutboxRelay
Prints one line of JSON with its timings when done.
"""

from chassis.nameko.green import patch_process

patch_process()

import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import eventlet  # noqa: E402
from marshmallow import Schema, fields  # noqa: E402
from nameko.containers import ServiceContainer  # noqa: E402
from nameko.events import EventDispatcher  # noqa: E402
from sqlalchemy.orm import DeclarativeBase  # noqa: E402

from chassis.config import load_config  # noqa: E402
from chassis.contract import Contract, Event  # noqa: E402
from chassis.db import make_engine, session_factories  # noqa: E402
from chassis.envelope import make_envelope  # noqa: E402
from chassis.nameko.database import Database  # noqa: E402
from chassis.nameko.relay import OutboxRelay, Relay  # noqa: E402
from chassis.outbox import Outbox  # noqa: E402
from chassis.tables import reliability_tables  # noqa: E402


class Base(DeclarativeBase):
    pass


outbox_table = reliability_tables(Base.metadata).outbox
TICK = Schema.from_dict({"n": fields.Integer()})
events = Outbox(Contract("bench", events=(Event("tick", TICK),)), outbox_table)


class PacedService:
    name = "bench"
    db = Database(Base)
    relay = OutboxRelay()


class DispatchService:
    name = "bench"
    dispatch = EventDispatcher()


def relay(amqp_uri: str, db_url: str, n: int) -> dict:
    engine = make_engine(db_url)
    Base.metadata.create_all(engine)
    write, _ = session_factories(engine)
    for start in range(0, n, 1000):
        with write() as session, session.begin():
            for i in range(start, min(n, start + 1000)):
                events.emit(session, "tick", i, {"n": i})
    print(json.dumps({"filled": n}), flush=True)
    sys.stdin.readline()
    r = Relay(engine, outbox_table, "bench", amqp_uri, {**load_config(), "OUTBOX_BATCH": 1000})
    started = time.time()
    sent = r.relay_all()
    return {"sent": sent, "started": started, "finished": time.time()}


def nameko_dispatch(amqp_uri: str, n: int, emitters: int) -> dict:
    container = ServiceContainer(DispatchService, {"AMQP_URI": amqp_uri})
    container.start()
    dispatcher = next(d for d in container.dependencies if isinstance(d, EventDispatcher))
    print(json.dumps({"filled": n}), flush=True)
    sys.stdin.readline()

    def emit(count: int, offset: int) -> None:
        dispatch = dispatcher.get_dependency(type("W", (), {"context_data": {}})())
        for i in range(offset, offset + count):
            dispatch("tick", make_envelope("bench", "tick", i, {"n": i}))

    started = time.time()
    pool = [eventlet.spawn(emit, n // emitters, k * (n // emitters)) for k in range(emitters)]
    for gt in pool:
        gt.wait()
    finished = time.time()
    container.stop()
    return {"sent": n, "started": started, "finished": finished}


def paced(amqp_uri: str, db_url: str, seconds: int, rate: int) -> dict:
    engine = make_engine(db_url)
    Base.metadata.create_all(engine)
    engine.dispose()
    config = {**load_config(), "AMQP_URI": amqp_uri, "bench": {"DATABASE_URL": db_url}}
    container = ServiceContainer(PacedService, config)
    container.start()
    db = next(d for d in container.dependencies if isinstance(d, Database))
    write, _ = session_factories(db.engine)
    print(json.dumps({"filled": 0}), flush=True)
    sys.stdin.readline()
    started, sent = time.time(), 0
    interval = 1.0 / rate
    while sent < seconds * rate:
        with write() as session, session.begin():
            events.emit(session, "tick", sent, {"n": sent})
        db.notify_committed()  # as DatabaseSession.transaction does after a commit
        sent += 1
        eventlet.sleep(max(0.0, started + sent * interval - time.time()))
    eventlet.sleep(1.0)
    container.stop()
    return {"sent": sent, "started": started, "finished": time.time()}


def main() -> None:
    mode, amqp_uri, db_url, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    arg = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    if mode == "relay":
        result = relay(amqp_uri, db_url, n)
    elif mode == "nameko":
        result = nameko_dispatch(amqp_uri, n, arg)
    else:
        result = paced(amqp_uri, db_url, n, arg)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
