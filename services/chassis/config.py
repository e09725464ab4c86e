"""Configuration: the YAML defaults, overridden by environment variables.

A key `FOO` is overridden by `$FOO`; a nested key `catalog: {DATABASE_URL: ...}` by
`$CATALOG__DATABASE_URL`. Values from the environment are parsed as YAML scalars, so
`OUTBOX_BATCH=100` is an int and `FLAG=true` a bool.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_FILE = ROOT / "config" / "pustaka.yaml"

# Every part with a database of its own, and the package that holds its models.py
# and migrations/. The one place where the whole system is composed.
COMPONENTS = {
    "catalog": "services.catalog",
    "gateway": "gateway",
}
# The nameko service classes the local runner starts, by part.
SERVICE_CLASSES = {
    "catalog": "services.catalog.service:CatalogService",
    "gateway": "gateway.service:GatewayService",
}


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


def load_config(path: str | os.PathLike | None = None, environ: dict | None = None) -> dict:
    """Read the YAML file (PUSTAKA_CONFIG or the repository default) and apply overrides."""
    environ = dict(os.environ if environ is None else environ)
    path = Path(path or environ.get("PUSTAKA_CONFIG") or DEFAULT_FILE)
    config = yaml.safe_load(path.read_text()) or {}
    for component in COMPONENTS:
        config.setdefault(component, {})
    _override(config, environ)
    # Keys only the environment names (e.g. CATALOG__DATABASE_URL) are added too.
    for name, raw in environ.items():
        section, sep, key = name.partition("__")
        if sep and section.lower() in config and isinstance(config[section.lower()], dict):
            config[section.lower()].setdefault(key, _parse(raw))
    return config


def database_url(config: dict, service: str) -> str:
    """The service's own database: its DATABASE_URL, else an SQLite file in DATA_DIR."""
    url = (config.get(service) or {}).get("DATABASE_URL")
    if url:
        return url
    data_dir = Path(config.get("DATA_DIR", "var/data"))
    if not data_dir.is_absolute():
        data_dir = ROOT / data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / service}.db"
