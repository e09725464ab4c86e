"""What a part's process says of itself to its probes: a small file its watchdog
rewrites every second (chassis/nameko/watchdog.py), read by `pustaka check ready PART`
and `pustaka check alive PART` (deploy/checks.py), Kubernetes' readiness and liveness
probes. A nameko service has no HTTP port to ask, and an RPC to the part would reach
any replica but not this one.

- ready: it would answer a request within the deadline: its green threads run and
  not every worker has been busy for longer than RPC_TIMEOUT_SECONDS;
- alive: its watchdog has written within ALIVE_SECONDS (a process frozen whole, which
  cannot even end itself, writes nothing).

One file per process, `<dir>/<service>-<pid>.json`, removed when it stops: replicas
on one machine each have their own, and a file whose process is gone is not read.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ALIVE_SECONDS = 30.0


def probe_dir(config) -> Path:
    return Path(config.get("PROBE_DIR") or Path(tempfile.gettempdir()) / "pustaka-probes")


@dataclass(frozen=True)
class Probe:
    service: str
    pid: int
    written: float  # wall time
    ready: bool
    why: str = ""  # why not ready

    def alive(self, now: float) -> bool:
        return now - self.written <= ALIVE_SECONDS


def path_of(directory: Path, service: str, pid: int) -> Path:
    return directory / f"{service}-{pid}.json"


def write(directory: Path, probe: Probe) -> None:
    """Replace the file at once (a reader never sees half of it)."""
    directory.mkdir(parents=True, exist_ok=True)
    target = path_of(directory, probe.service, probe.pid)
    scratch = target.with_suffix(".tmp")
    scratch.write_text(json.dumps(probe.__dict__))
    os.replace(scratch, target)


def remove(directory: Path, service: str, pid: int) -> None:
    path_of(directory, service, pid).unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's: it runs
        return True
    return True


def read(directory: Path, service: str) -> list[Probe]:
    """The probes of `service`'s processes running here."""
    found = []
    for path in sorted(directory.glob(f"{service}-*.json")):
        try:
            probe = Probe(**json.loads(path.read_text()))
        except (OSError, ValueError, TypeError):  # being replaced, or not ours
            continue
        if probe.service == service and _running(probe.pid):
            found.append(probe)
    return found


def verdict(probes: list[Probe], want: str, now: float | None = None) -> tuple[bool, str]:
    """(ok, what to print) for `want` "ready" or "alive" over a service's probes:
    ok only if there is one at least and every one is."""
    now = time.time() if now is None else now
    if not probes:
        return False, "no process of this part has written its probe"
    lines, ok = [], True
    for p in probes:
        if not p.alive(now):
            ok = False
            lines.append(f"{p.service} {p.pid}: silent for {now - p.written:.0f}s")
        elif want == "ready" and not p.ready:
            ok = False
            lines.append(f"{p.service} {p.pid}: not ready: {p.why}")
        else:
            lines.append(f"{p.service} {p.pid}: {want}")
    return ok, "\n".join(lines)
