"""deploy/pythons.py: which Pythons are supported, how they are found, how their
test results are counted."""

import sys
import tomllib
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

from deploy import pythons

ROOT = Path(__file__).resolve().parents[3]


def fake_python(path: Path, prints: str = "", code: int = 0) -> Path:
    """An executable that answers the version probe like an interpreter would."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho {prints}\nexit {code}\n")
    path.chmod(0o755)
    return path


def test_the_supported_versions_are_those_pyproject_accepts():
    spec = SpecifierSet(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    )
    for version in pythons.SUPPORTED:
        assert f"{version}.0" in spec and f"{version}.99" in spec
    first, last = pythons.SUPPORTED[0].split("."), pythons.SUPPORTED[-1].split(".")
    assert f"{first[0]}.{int(first[1]) - 1}.99" not in spec
    assert f"{last[0]}.{int(last[1]) + 1}.0" not in spec


def test_a_shim_that_does_not_run_is_passed_over_for_pyenvs_interpreter(tmp_path, monkeypatch):
    fake_python(tmp_path / "shims" / "python3.12", code=127)  # pyenv: version not selected
    fake_python(tmp_path / "pyenv" / "versions" / "3.12.9" / "bin" / "python3.12", "3.12")
    newest = fake_python(tmp_path / "pyenv" / "versions" / "3.12.10" / "bin" / "python3.12", "3.12")
    monkeypatch.setenv("PATH", str(tmp_path / "shims"))
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "pyenv"))
    assert pythons.find_interpreter("3.12") == newest


def test_an_interpreter_of_another_version_or_none_at_all_is_absent(tmp_path, monkeypatch):
    fake_python(tmp_path / "bin" / "python3.13", "3.12")  # misnamed
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "no-pyenv"))
    assert pythons.find_interpreter("3.13") is None
    assert pythons.find_interpreter("3.11") is None


def test_this_venv_serves_its_own_version_and_each_other_has_its_own():
    if not pythons.in_a_venv():
        pytest.skip("the tests run outside a venv")
    assert pythons.venv_for(pythons.this_version()) == Path(sys.prefix)
    assert pythons.interpreter_for(pythons.this_version()) == Path(sys.executable)
    other = next(v for v in pythons.SUPPORTED if v != pythons.this_version())
    assert pythons.venv_for(other) == pythons.ROOT / f".venv-{other}"


def test_outcomes_are_counted_per_tier(tmp_path):
    report = tmp_path / "junit.xml"
    report.write_text(
        """<testsuites><testsuite>
        <testcase classname="tests.unit.test_a" name="one"/>
        <testcase classname="tests.unit.test_a" name="two"><failure/></testcase>
        <testcase classname="tests.service.test_b.TestB" name="three"><skipped/></testcase>
        <testcase classname="tests.service.test_b" name="four"><error/></testcase>
        <testcase classname="tests.service.test_b" name="five"/>
        </testsuite></testsuites>"""
    )
    counts = pythons.tally(report)
    assert pythons.describe(counts["unit"]) == "1 passed, 1 failed"
    assert pythons.describe(counts["service"]) == "1 passed, 1 errors, 1 skipped"


def test_an_unsupported_interpreter_is_refused_before_any_venv_is_made(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr(pythons, "SUPPORTED", ("3.98", "3.99"))
    assert pythons.main(["install", str(tmp_path / "venv")]) == 1
    assert "Pustaka needs Python 3.98 or 3.99" in capsys.readouterr().err
    assert not (tmp_path / "venv").exists()


def installing(monkeypatch, failing: str = "") -> list[list[str]]:
    """The commands install() runs, recorded instead of run; a command whose words
    contain `failing` fails."""
    ran = []

    def step(command):
        ran.append(command)
        return not (failing and failing in " ".join(command))

    monkeypatch.setattr(pythons, "run_step", step)
    return ran


def test_uv_installs_the_project_into_a_new_venv(tmp_path, monkeypatch):
    ran = installing(monkeypatch)
    venv = tmp_path / "venv"
    venv.joinpath("bin").mkdir(parents=True)
    assert pythons.install("python3.12", venv)
    assert ran[0] == ["python3.12", "-m", "venv", str(venv)]
    assert ran[1][-2:] == ["--quiet", "uv"]
    assert ran[2][:3] == [str(venv / "bin" / "uv"), "pip", "install"]
    assert ran[2][-2:] == ["-e", ".[dev]"]
    assert (venv / pythons.INSTALLED).exists()


def test_without_uv_pip_installs_the_project(tmp_path, monkeypatch, capsys):
    ran = installing(monkeypatch, failing="--quiet uv")
    venv = tmp_path / "venv"
    venv.joinpath("bin").mkdir(parents=True)
    assert pythons.install("python3.12", venv)
    assert ran[2] == [str(venv / "bin" / "pip"), "install", "--quiet", "-e", ".[dev]"]
    assert "pip installs the project instead" in capsys.readouterr().out


def test_a_failed_install_leaves_the_venv_unmarked(tmp_path, monkeypatch):
    installing(monkeypatch, failing=".[dev]")
    venv = tmp_path / "venv"
    venv.joinpath("bin").mkdir(parents=True)
    assert not pythons.install("python3.12", venv)
    assert not (venv / pythons.INSTALLED).exists()


def test_only_the_tiers_that_need_no_platform_can_be_asked_for(capsys):
    with pytest.raises(SystemExit):
        pythons.parse(["test", "--tiers", "unit,e2e"])
    assert "--tiers takes unit, domain, service, not e2e" in capsys.readouterr().err
    args = pythons.parse(["test", "--tiers", "unit", "--", "-x", "-k", "marc"])
    assert args.tiers == ["unit"] and args.pytest_args == ["-x", "-k", "marc"]
