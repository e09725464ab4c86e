"""Configuration: the YAML file, overridden by environment variables.

config/pustaka.yaml holds every setting the code reads, with its default: one place
to look, and so every setting can be overridden. A key `FOO` is overridden by
`$FOO`; a key of a part's section (`catalog: {DATABASE_URL: ...}`) by
`$CATALOG__DATABASE_URL`. Values from the environment are parsed as YAML scalars,
so `OUTBOX_BATCH=100` is an int and `FLAG=true` a bool. Which sections exist is the
composition root's to say (pustaka/platform.py): one per part.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILE = ROOT / "config" / "pustaka.yaml"


class ConfigError(LookupError):
    pass


def _parse(value: str) -> Any:
    try:
        return yaml.safe_load(value)
    except yaml.YAMLError:
        return value


def _override(config: dict, environ: dict, prefix: str = "") -> None:
    for key, value in config.items():
        name = f"{prefix}{key}".upper()
        if isinstance(value, dict):
            _override(value, environ, name + "__")
        elif name in environ:
            config[key] = _parse(environ[name])


def load_config(
    path: str | os.PathLike | None = None,
    environ: dict | None = None,
    sections: Iterable[str] = (),
) -> dict:
    """Read the YAML file (PUSTAKA_CONFIG or the repository default), give each of
    `sections` (the parts) a section, and apply the environment's overrides."""
    environ = dict(os.environ if environ is None else environ)
    path = Path(path or environ.get("PUSTAKA_CONFIG") or DEFAULT_FILE)
    config = yaml.safe_load(path.read_text()) or {}
    for section in sections:
        config.setdefault(section, {})
    _override(config, environ)
    # A part's keys that only the environment names (CATALOG__DATABASE_URL) count too.
    for name, raw in environ.items():
        section, sep, key = name.partition("__")
        if sep and section.lower() in config and isinstance(config[section.lower()], dict):
            config[section.lower()].setdefault(key, _parse(raw))
    return config


def database_url(config: dict, part: str) -> str:
    """The part's own database: its DATABASE_URL, else an SQLite file in DATA_DIR.
    A part without a section is a mistake (it would ignore $PART__DATABASE_URL and
    fall back to SQLite without a word), so it is refused."""
    if not isinstance(config.get(part), dict):
        raise ConfigError(
            f"the configuration has no section for {part!r}: is it a part of the platform?"
        )
    url = config[part].get("DATABASE_URL")
    if url:
        return url
    data_dir = Path(config["DATA_DIR"])
    if not data_dir.is_absolute():
        data_dir = ROOT / data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / part}.db"


def broker_nodes(amqp_uri: str) -> list[str]:
    """AMQP_URI's nodes: one URI, or a cluster's several separated by ';', as kombu
    takes them (its connections fail over from one to the next). What parses a URI
    itself (the management API's host, the virtual host, a part's own user) reads
    these, never the whole string."""
    return [uri.strip() for uri in amqp_uri.split(";") if uri.strip()]


def pool_size(config: dict) -> int:
    """DATABASE_POOL_SIZE: the connections each process keeps open (chassis/db.py)."""
    return int(config.get("DATABASE_POOL_SIZE", 10))
