"""The import rules (pyproject.toml's import-linter contracts) are written once for
every part, by wildcard: `services.*`. They hold for a part only if it is a package
directly under services/, so a part anywhere else would escape every rule."""

import tomllib

from chassis.config import ROOT
from pustaka.parts import PARTS

CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _modules_named_by_contracts() -> set[str]:
    named = set()
    for contract in CONTRACTS["contracts"]:
        for key in ("modules", "source_modules", "layers", "containers"):
            for entry in contract.get(key, ()):
                named.update(m.strip() for m in entry.split("|"))
    return named


def test_every_service_part_is_a_package_directly_under_services():
    for part in PARTS:
        if part.name == "gateway":
            continue
        assert part.package == f"services.{part.name}", part
        assert part.directory == ROOT / "services" / part.name


def test_the_contracts_cover_services_by_wildcard_and_name_no_part():
    named = _modules_named_by_contracts()
    assert "services.*" in named
    parts = {f"services.{p.name}" for p in PARTS}
    assert not named & parts, f"a contract names a part by hand: {sorted(named & parts)}"
    assert set(CONTRACTS["root_packages"]) >= {"services", "chassis", "gateway", "pustaka"}
