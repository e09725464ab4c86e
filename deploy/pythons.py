"""The Pythons Pustaka supports, their venvs, and its tests on each of them.

  python -m deploy.pythons install VENV     make VENV with this interpreter (refused
                                            unless it is a supported version)
  python -m deploy.pythons test [--tiers unit,domain,service] [--others] [-- PYTEST_ARGS]

`make` runs `install` for .venv, and `test` for `make test-pythons` and `make test`.
Each supported interpreter found here gets a venv of its own, .venv-3.12 and so on,
made on first use and again when pyproject.toml changes; the venv this runs in
serves its own version. An interpreter this machine lacks is skipped and said so,
never a failure: a newcomer may have one of them, CI has what its machine has.
`test` exits non-zero if a tier fails, or a venv cannot be made, on any interpreter
found. --others leaves out this interpreter's version, which the caller has just
tested in full.

Interpreters are looked for as pythonX.Y on PATH, then among pyenv's versions
($PYENV_ROOT, else ~/.pyenv): a pyenv shim answers only for the versions pyenv has
selected, so a python3.12 on PATH may be there and still not run.

Standard library only, and no syntax newer than 3.7: `install` runs under whatever
python3 a newcomer has, and must be able to say that it is the wrong one.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Keep in step with pyproject.toml's requires-python (a unit test checks).
SUPPORTED = ("3.11", "3.12", "3.13")
# The tiers that need no running platform: the broker and databases are enough
# (domain: a database only; service: a nameko service or the broker as well).
TIERS = {"unit": "tests/unit", "domain": "tests/domain", "service": "tests/service"}
DEFAULT_AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/"
INSTALLED = Path("bin", ".installed")  # the Makefile's target for .venv, too


def log(message: str) -> None:
    print(f"[pythons] {message}", flush=True)


def version_of(interpreter: str | Path) -> str | None:
    """The X.Y of an interpreter that runs and can make a venv, else None.

    ensurepip is asked for too: Debian and Ubuntu ship it apart (python3.12-venv),
    and without it `python -m venv` fails halfway."""
    probe = "import sys, venv, ensurepip; print('%d.%d' % sys.version_info[:2])"
    try:
        done = subprocess.run(
            [str(interpreter), "-c", probe], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def on_path(name: str) -> list[Path]:
    """Every executable called `name` on PATH, in PATH's order (not only the first:
    a pyenv shim that does not run may hide a system python behind it)."""
    found = []
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        candidate = Path(folder or ".") / name
        if candidate.is_file() and os.access(candidate, os.X_OK) and candidate not in found:
            found.append(candidate)
    return found


def in_pyenv(version: str) -> list[Path]:
    """pyenv's interpreters of `version`, newest patch release first."""
    versions = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"

    def patch(folder: Path) -> int:
        tail = folder.name[len(version) + 1 :]
        return int(tail) if tail.isdigit() else -1

    folders = sorted(versions.glob(f"{version}.*"), key=patch, reverse=True)
    return [
        f / "bin" / f"python{version}" for f in folders if (f / "bin" / f"python{version}").exists()
    ]


def find_interpreter(version: str) -> Path | None:
    """The first interpreter of `version` that runs and can make a venv."""
    for candidate in on_path(f"python{version}") + in_pyenv(version):
        if version_of(candidate) == version:
            return candidate
    return None


def this_version() -> str:
    return f"{sys.version_info[0]}.{sys.version_info[1]}"


def in_a_venv() -> bool:
    return sys.prefix != sys.base_prefix


def venv_for(version: str) -> Path:
    """The venv this script runs in, for its own version; .venv-X.Y for any other."""
    if version == this_version() and in_a_venv():
        return Path(sys.prefix)
    return ROOT / f".venv-{version}"


def interpreter_for(version: str) -> Path | None:
    """This interpreter for its own venv's version (whatever else PATH holds), else
    the first interpreter of `version` found."""
    if version == this_version() and in_a_venv():
        return Path(sys.executable)
    return find_interpreter(version)


def up_to_date(venv: Path) -> bool:
    """Installed since pyproject.toml last changed (the Makefile's rule for .venv)."""
    marker = venv / INSTALLED
    return marker.exists() and marker.stat().st_mtime >= (ROOT / "pyproject.toml").stat().st_mtime


def install(interpreter: str | Path, venv: Path) -> bool:
    """Make `venv` with `interpreter` and install the project into it with its dev
    extras, as a newcomer's .venv is made.

    The project is installed by uv, itself installed first by the venv's own pip:
    it does in about 10 s of CPU what pip does in about 40, and CI makes three venvs.
    Where uv cannot be had, pip installs the project instead."""
    bin_ = venv / "bin"
    if not run_step([str(interpreter), "-m", "venv", str(venv)]):
        return False
    if run_step([str(bin_ / "pip"), "install", "--quiet", "uv"]):
        project = [str(bin_ / "uv"), "pip", "install", "--quiet", "--compile-bytecode"]
        project += ["--python", str(bin_ / "python")]
    else:
        log("uv could not be installed; pip installs the project instead")
        project = [str(bin_ / "pip"), "install", "--quiet"]
    if not run_step([*project, "-e", ".[dev]"]):
        return False
    (venv / INSTALLED).touch()
    return True


def run_step(command: list[str]) -> bool:
    print("$ " + " ".join(command), flush=True)
    return subprocess.run(command, cwd=ROOT).returncode == 0


def unsupported_message(version: str) -> str:
    wanted = ", ".join(SUPPORTED[:-1]) + " or " + SUPPORTED[-1]
    return (
        f"Pustaka needs Python {wanted}; {sys.executable} is {version}. "
        f"Name another with PYTHON, e.g. PYTHON=python{SUPPORTED[-1]} make ..."
    )


def tally(junit_xml: Path) -> dict[str, Counter]:
    """Outcomes per tier (the second part of each test's module path, tests.unit...)
    from pytest's JUnit XML report."""
    by_tier: dict[str, Counter] = {}
    for case in ET.parse(junit_xml).iter("testcase"):
        parts = case.get("classname", "").split(".")
        tier = parts[1] if len(parts) > 1 else "?"
        tags = {child.tag for child in case}
        outcome = next((t for t in ("error", "failure", "skipped") if t in tags), "passed")
        by_tier.setdefault(tier, Counter())[outcome] += 1
    return by_tier


def describe(counts: Counter) -> str:
    order = (
        ("passed", "passed"),
        ("failure", "failed"),
        ("error", "errors"),
        ("skipped", "skipped"),
    )
    return ", ".join(f"{counts[key]} {word}" for key, word in order if counts[key]) or "no tests"


def run_tiers(venv: Path, tiers: list[str], amqp_uri: str, pytest_args: list[str], out=None):
    """Run the tiers in one pytest session, its output to `out` (a file) if given;
    (passed?, outcomes per tier)."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "junit.xml"
        command = [
            str(venv / "bin" / "python"),
            "-m",
            "pytest",
            *(TIERS[t] for t in tiers),
            "--amqp-uri",
            amqp_uri,
            f"--junitxml={report}",
            *pytest_args,
        ]
        print("$ " + " ".join(command), file=out or sys.stdout, flush=True)
        code = subprocess.run(command, cwd=ROOT, stdout=out, stderr=out).returncode
        counts = tally(report) if report.exists() else {}
    return code == 0, counts


def absent(version: str) -> str:
    return (
        f"{version}  absent: no python{version} on PATH or in pyenv that runs and can make "
        f"a venv (Debian/Ubuntu: apt-get install python{version}-venv); skipped"
    )


def prepare(version: str):
    """The venv of `version`, made first if need be: (venv or None, seconds it took,
    the summary line where there is nothing to test)."""
    interpreter = interpreter_for(version)
    if interpreter is None:
        return None, 0.0, absent(version)
    venv = venv_for(version)
    started = time.monotonic()
    if not up_to_date(venv):
        log(f"{version}: making {venv.name} with {interpreter}")
        if not install(interpreter, venv):
            return None, 0.0, f"{version}  {venv.name}: installing with {interpreter} FAILED"
    return venv, time.monotonic() - started, ""


def run_on(version, venv, install_seconds, tiers, amqp_uri, pytest_args, out=None):
    """Run the tiers on one version's venv; (failed?, a line for the summary)."""
    started = time.monotonic()
    log(f"{version}: {', '.join(tiers)} with {venv.name}/bin/python")
    passed, counts = run_tiers(venv, tiers, amqp_uri, pytest_args, out)
    took = f"tests {time.monotonic() - started:.0f} s"
    if install_seconds >= 1:
        took += f", install {install_seconds:.0f} s"
    results = "; ".join(f"{tier} {describe(counts.get(tier, Counter()))}" for tier in tiers)
    return (
        not passed,
        f"{version}  {venv.name:<11} {results}  ({took}){'' if passed else '  FAILED'}",
    )


def run_everywhere(tiers: list[str], others: bool, amqp_uri: str, pytest_args: list[str]) -> int:
    """Run the tiers on every supported version (but this one, with `others`), then
    one summary line per version, so that what was skipped is said last, not lost.

    Venvs are made one at a time (editable installs share the source tree); the
    tests of several versions run side by side, each with its output kept and shown
    whole when it ends: most of a run waits on the broker and databases, not on the
    processor."""
    versions = [v for v in SUPPORTED if not (others and v == this_version())]
    prepared = {v: prepare(v) for v in versions}
    ready = [v for v in versions if prepared[v][0] is not None]
    lines = {v: (v not in ready and "FAILED" in prepared[v][2], prepared[v][2]) for v in versions}
    printing = threading.Lock()

    def test(version: str):
        venv, seconds, _ = prepared[version]
        if len(ready) == 1:
            return run_on(version, venv, seconds, tiers, amqp_uri, pytest_args)
        with tempfile.TemporaryFile("w+") as out:
            result = run_on(version, venv, seconds, tiers, amqp_uri, pytest_args, out)
            out.seek(0)
            with printing:
                log(f"{version}: its run's output")
                print(out.read(), flush=True)
        return result

    with ThreadPoolExecutor(max_workers=max(1, len(ready))) as pool:
        outcomes = list(pool.map(test, ready))
    for index, version in enumerate(ready):
        lines[version] = outcomes[index]
    besides = f" (besides {this_version()}, tested beside it)" if others else ""
    log(f"{', '.join(tiers)} on Python {', '.join(versions)}{besides}:")
    for version in versions:
        log("  " + lines[version][1])
    return 1 if any(failed for failed, _ in lines.values()) else 0


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m deploy.pythons", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("install", help="make a venv with this interpreter")
    make.add_argument("venv", type=Path)
    run = commands.add_parser("test", help="run test tiers on every supported interpreter here")
    run.add_argument(
        "--tiers", default="unit,domain,service", help="comma-separated: unit,domain,service"
    )
    run.add_argument("--others", action="store_true", help="leave out this interpreter's version")
    run.add_argument("--amqp-uri", default=os.environ.get("AMQP_URI") or DEFAULT_AMQP_URI)
    run.add_argument("pytest_args", nargs="*", help="after --: passed on to pytest")
    args = parser.parse_args(argv)
    if args.command == "test":
        args.tiers = [t for t in args.tiers.split(",") if t]
        unknown = set(args.tiers) - set(TIERS)
        if unknown or not args.tiers:
            parser.error(
                f"--tiers takes {', '.join(TIERS)}, not {','.join(sorted(unknown)) or '(none)'}"
            )
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    if args.command == "install":
        if this_version() not in SUPPORTED:
            print(unsupported_message(this_version()), file=sys.stderr)
            return 1
        return 0 if install(sys.executable, args.venv.resolve()) else 1
    return run_everywhere(args.tiers, args.others, args.amqp_uri, args.pytest_args)


if __name__ == "__main__":
    sys.exit(main())
