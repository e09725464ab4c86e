"""`Part`: how the composition root (pustaka/parts.py) knows one part of the
platform. Each part describes itself once, in its own part.py, beside its code;
everything that must know every part (configuration sections, migrations, queue
declarations, the supervised programs, demo data, the gateway's status page and
event catalogue, the deployment checks and tests) derives from that list.

Paths are strings, imported only when needed: reading the list of parts loads no
service, no framework and no database driver.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Part:
    name: str  # the one word for it in code, config, CLI and docs
    package: str  # holds models.py (its `Base`) and migrations/
    service: str  # "module:Class": the nameko class its processes run
    contract: str | None = None  # module of its public contract (a service's)
    api: str | None = None  # module of its declared HTTP routes, `API` (chassis/api.py)
    web: str | None = None  # module of its slice of the gateway's web app: `WEB`, route classes
    demo: str | None = None  # "module:function": loads demo data into an empty database
    cli: str | None = None  # module whose add_commands(subparsers) adds `pustaka NAME ...`
    replicas: int = 1  # processes of it `make up` runs (NAME_REPLICAS overrides)
    reliable: bool = True  # has the outbox and applied-events tables (shared migrations)

    @property
    def directory(self) -> Path:
        return Path(importlib.import_module(self.package).__file__).parent

    def models(self):
        """Its declarative base: the tables of its database."""
        return importlib.import_module(f"{self.package}.models").Base

    def service_class(self) -> type:
        return load(self.service)

    def contract_module(self):
        return importlib.import_module(self.contract) if self.contract else None

    def declared_api(self):
        """Its declared HTTP routes (chassis.api.Api), or None."""
        return importlib.import_module(self.api).API if self.api else None

    def web_routes(self) -> tuple[type, ...]:
        """The classes of its web slice, whose routes the gateway service takes on."""
        return importlib.import_module(self.web).WEB if self.web else ()


def load(path: str):
    """The object a "module:attribute" path names."""
    module, _, attribute = path.partition(":")
    return getattr(importlib.import_module(module), attribute)
