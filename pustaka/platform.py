"""What derives from the list of parts: the configuration with a section per part,
each part's database and migrations, the queues to declare, the demo data and the
processes to supervise.

Which list: pustaka/parts.py, unless PUSTAKA_PARTS names another ("module:NAME"),
as the tests do to run the platform with an example part added. The gateway learns
the services it fronts from the configuration (SERVICES: name -> contract module),
so it never imports the list itself.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

from chassis.config import load_config as load_yaml
from chassis.db import DatabaseSession, open_database
from chassis.part import Part, load

DEFAULT_PARTS = "pustaka.parts:PARTS"


def parts() -> tuple[Part, ...]:
    return tuple(load(os.environ.get("PUSTAKA_PARTS") or DEFAULT_PARTS))


def part(name: str) -> Part:
    for known in parts():
        if known.name == name:
            return known
    raise SystemExit(f"no part {name!r}; the parts are: {', '.join(p.name for p in parts())}")


def services() -> tuple[Part, ...]:
    """The parts with a contract: what the gateway fronts and integrators hear from."""
    return tuple(p for p in parts() if p.contract)


def load_config(environ: dict | None = None, path=None) -> dict:
    """config/pustaka.yaml with a section per part and the environment's overrides,
    and the services the gateway fronts."""
    config = load_yaml(path, environ, sections=[p.name for p in parts()])
    config["SERVICES"] = {p.name: p.contract for p in services()}
    return config


def database(config: dict, of: Part) -> DatabaseSession:
    """A part's database outside its service (CLI, runner, tests): dispose of
    `db.engine` when done."""
    from chassis.config import database_url

    return open_database(database_url(config, of.name), of.models().metadata)


def migrate(config: dict, names: list[str] | None = None) -> Iterator[tuple[str, str]]:
    """Bring each part's database (or those named) to its newest schema; yields
    (part, database URL without credentials) as each is done."""
    from chassis.migrations import upgrade

    for chosen in [part(n) for n in names] if names else parts():
        yield chosen.name, upgrade(chosen, config).split("@")[-1]


def declare(config: dict) -> list[str]:
    """Declare every service's exchange, dead-letter queue and handler queues, and
    the bounds on queues (pustaka/broker_policies.py), which need the management
    API, as the parts' own users do (off with BROKER_PART_USERS)."""
    from chassis.nameko.declare import declare_all

    from . import broker_policies

    classes = [p.service_class() for p in parts() if p.reliable]
    declared = declare_all(config, classes)
    if config["BROKER_PART_USERS"]:
        declared += [f"policy {name}" for name in broker_policies.apply(config)]
    return declared


def load_demos(config: dict) -> Iterator[tuple[str, int]]:
    """Each part's demo data, into a database that has none yet: (part, rows added)."""
    for each in parts():
        if each.demo:
            db = database(config, each)
            try:
                yield each.name, load(each.demo)(db)
            finally:
                db.engine.dispose()


def replicas(of: Part, environ: dict | None = None) -> int:
    name = f"{of.name.upper()}_REPLICAS"
    value = (os.environ if environ is None else environ).get(name, str(of.replicas))
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"{name} must be a whole number of at least 1, not {value!r}")
    return int(value)


def programs() -> dict[str, tuple[str, int]]:
    """The processes that run the platform: part -> (command, replica count)."""
    return {p.name: (f"{sys.executable} -m pustaka.run {p.name}", replicas(p)) for p in parts()}
