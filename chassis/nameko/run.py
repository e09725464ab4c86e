"""Running one service class in this process until SIGTERM or SIGINT, which stop
it gracefully (running workers finish). The composition root's
`python -m pustaka.run PART` patches the process first (green.py), loads the
configuration and calls `run`."""

from __future__ import annotations

import gc
import logging
import re
import signal

import eventlet
from eventlet.event import Event
from nameko.runners import ServiceRunner


class QuietExpected(logging.Filter):
    """nameko logs a worker's expected error (a client's mistake) with its traceback;
    keep the one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.getMessage().startswith("(expected)"):
            record.exc_info = None
            record.exc_text = None
        return True


class HidePasswords(logging.Filter):
    """nameko hides the password of an AMQP URI it logs, but only of its first node:
    a cluster's list ('amqp://u:p@a;amqp://u:p@b') showed the others'."""

    PASSWORD = re.compile(r"(amqps?://[^:/@;\s]+:)[^@;\s]+@")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "amqp" in message:
            record.msg, record.args = self.PASSWORD.sub(r"\1********@", message), None
        return True


def service_config(service_cls, config: dict) -> dict:
    """The configuration a service's container runs with: a part's own MAX_WORKERS
    (its section's) in place of nameko's max_workers for all, where it has one (a
    service whose handlers mostly wait on a shared transaction wants more)."""
    own = (config.get(service_cls.name) or {}).get("MAX_WORKERS")
    return {**config, "max_workers": own} if own else config


def run(service_cls, config: dict) -> None:
    logging.basicConfig(
        level=config["LOG_LEVEL"],
        format="%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s",
    )
    logging.getLogger("nameko.containers").addFilter(QuietExpected())
    for handler in logging.getLogger().handlers:
        handler.addFilter(HidePasswords())
    runner = ServiceRunner(service_config(service_cls, config))
    runner.add_service(service_cls)
    stopping = Event()

    def on_signal(signum, _frame):
        if not stopping.ready():
            stopping.send(signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    runner.start()
    # What the process made to start (modules, schemas, the ORM's mappers) lives as
    # long as it does: out of the collector's way, a full collection under load walks
    # only what requests made (measured: the p95 of a 500 KB report).
    gc.freeze()
    logging.getLogger(__name__).info("%s started", service_cls.name)
    waiter = eventlet.spawn(runner.wait)
    stopper = eventlet.spawn(lambda: (stopping.wait(), runner.stop()))
    try:
        waiter.wait()
    finally:
        stopper.kill()
