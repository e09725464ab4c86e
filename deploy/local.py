"""Supervising the platform's processes on one machine: supervisord's configuration,
whether it runs, and stopping it. `pustaka up` (pustaka/local.py) prepares the
platform and hands the processes over to supervisord; `pustaka down` stops them.

supervisord, not a loop of our own: it is the standard Python process supervisor,
already does restart with backoff, process groups with replica counts, log files
and a control socket (`supervisorctl`), and stops its children cleanly on a signal.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from chassis.config import ROOT


def var_dir() -> Path:
    path = Path(os.environ.get("PUSTAKA_VAR", ROOT / "var"))
    for sub in ("log", "run"):
        (path / sub).mkdir(parents=True, exist_ok=True)
    return path


def supervisor_conf(
    var: Path, programs: dict[str, tuple[str, int]], environments: dict[str, dict] | None = None
) -> str:
    """supervisord's configuration: its pidfile and control socket in var/run, and one
    program per entry of `programs` (name -> (command, replica count)), with the
    variables of its entry in `environments` set."""
    lines = [
        "[supervisord]",
        "nodaemon=true",
        f"logfile={var / 'log' / 'supervisord.log'}",
        f"pidfile={var / 'run' / 'supervisord.pid'}",
        f"directory={ROOT}",
        "",
        "[unix_http_server]",
        f"file={var / 'run' / 'supervisor.sock'}",
        "",
        "[rpcinterface:supervisor]",
        "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
        "",
        "[supervisorctl]",
        f"serverurl=unix://{var / 'run' / 'supervisor.sock'}",
    ]
    for name, (command, count) in programs.items():
        lines += [
            "",
            f"[program:{name}]",
            f"command={command}",
            f"numprocs={count}",
            *_environment((environments or {}).get(name)),
            "process_name=%(program_name)s-%(process_num)d",
            "autostart=true",
            "autorestart=true",
            "startsecs=3",
            "startretries=10",
            "stopsignal=TERM",
            "stopwaitsecs=15",
            "killasgroup=true",
            # The log of every process, prefixed by supervisord, on the terminal too.
            "stdout_logfile=/dev/stdout",
            "stdout_logfile_maxbytes=0",
            "redirect_stderr=true",
        ]
    return "\n".join(lines) + "\n"


def _environment(variables: dict | None) -> list[str]:
    if not variables:
        return []
    # supervisord expands %(name)s in its values: a literal % is written %%.
    pairs = (f'{k}="{str(v).replace("%", "%%")}"' for k, v in variables.items())
    return ["environment=" + ",".join(pairs)]


def running_pid(var: Path) -> int | None:
    """The pid of the supervisord running the platform from `var`, if it still runs."""
    try:
        pid = int((var / "run" / "supervisord.pid").read_text())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


def down(var: Path | None = None, timeout: float = 60.0) -> bool:
    """Stop the platform running from `var` and wait until it has stopped, so that
    `make down && make up` finds the socket and the port free."""
    var = var or var_dir()
    pid = running_pid(var)
    if pid is None:
        print(f"[down] nothing runs from {var}")
        return True
    ctl = Path(sys.executable).with_name("supervisorctl")
    subprocess.run([str(ctl), "-c", str(var / "supervisord.conf"), "shutdown"], check=False)
    deadline = time.monotonic() + timeout
    while running_pid(var) == pid:
        if time.monotonic() > deadline:
            print(f"[down] supervisord (pid {pid}) is still stopping after {timeout:g}s")
            return False
        time.sleep(0.2)
    print("[down] stopped")
    return True


def listening(address: str) -> bool:
    host, _, port = address.rpartition(":")
    try:
        socket.create_connection((host or "127.0.0.1", int(port)), timeout=1).close()
    except OSError:
        return False
    return True


def supervise(
    var: Path, programs: dict[str, tuple[str, int]], environments: dict[str, dict] | None = None
) -> None:
    """Hand this process over to supervisord running `programs`; Ctrl-C stops all."""
    conf = var / "supervisord.conf"
    conf.touch(mode=0o600)  # it may hold the parts' broker passwords
    conf.chmod(0o600)
    conf.write_text(supervisor_conf(var, programs, environments))
    supervisord = Path(sys.executable).with_name("supervisord")
    os.execv(str(supervisord), [str(supervisord), "-c", str(var / "supervisord.conf")])
