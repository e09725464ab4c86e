"""Run one nameko service class in this process: `python -m services.chassis.run
services.catalog.service:CatalogService`. Configuration comes from `load_config`
(YAML and environment), not from nameko's own config file."""

from __future__ import annotations

import eventlet  # the package's __init__ has silenced its deprecation warning

eventlet.monkey_patch()  # noqa: E402 - must precede every other import

import importlib  # noqa: E402
import logging  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402

from eventlet.event import Event  # noqa: E402
from nameko.runners import ServiceRunner  # noqa: E402

from .config import load_config  # noqa: E402


def import_service(path: str):
    module, _, attr = path.partition(":")
    return getattr(importlib.import_module(module), attr)


class QuietExpected(logging.Filter):
    """nameko logs a worker's expected error (a client's mistake) with its traceback;
    keep the one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.getMessage().startswith("(expected)"):
            record.exc_info = None
            record.exc_text = None
        return True


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        sys.exit("usage: python -m services.chassis.run package.module:ServiceClass")
    config = load_config()
    logging.basicConfig(
        level=config.get("LOG_LEVEL", "INFO"),
        format="%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s",
    )
    logging.getLogger("nameko.containers").addFilter(QuietExpected())
    service_cls = import_service(argv[0])
    runner = ServiceRunner(config)
    runner.add_service(service_cls)
    stopping = Event()

    def on_signal(signum, _frame):
        if not stopping.ready():
            stopping.send(signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    runner.start()
    logging.getLogger(__name__).info("%s started", service_cls.name)
    waiter = eventlet.spawn(runner.wait)
    stopper = eventlet.spawn(lambda: (stopping.wait(), runner.stop()))
    try:
        waiter.wait()
    finally:
        stopper.kill()


if __name__ == "__main__":
    main()
