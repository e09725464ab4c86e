"""The benchmark scripts (tests/bench/) run by hand, not in the suite: importing each
one here catches a script that no longer matches the code it measures (a renamed
module or function) before someone needs its figures."""

import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.mark.parametrize("name", sorted(p.stem for p in BENCH.glob("*.py") if p.stem != "__init__"))
def test_a_benchmark_script_imports(name):
    module = importlib.import_module(f"tests.bench.{name}")
    assert module.__doc__, f"tests/bench/{name}.py says what it measures"
