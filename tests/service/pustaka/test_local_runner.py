"""The local runner's start and stop, with a real supervisord: `make down` waits until
everything has stopped, and `make up` refuses to start a second platform over the first."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from deploy import local
from pustaka.local import up
from tests.support import wait_for

SUPERVISORD = Path(sys.executable).with_name("supervisord")


@pytest.fixture
def var(tmp_path, monkeypatch):
    monkeypatch.setenv("PUSTAKA_VAR", str(tmp_path))
    return local.var_dir()


@pytest.fixture
def supervised(var):
    """supervisord from `var`, running two replicas of a program that would run a minute."""
    conf = var / "supervisord.conf"
    conf.write_text(local.supervisor_conf(var, {"sleeper": ("sleep 60", 2)}))
    proc = subprocess.Popen([str(SUPERVISORD), "-c", str(conf)], stdout=subprocess.DEVNULL)
    assert wait_for(lambda: local.running_pid(var) == proc.pid, timeout=20)
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.wait(10)


def children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(p) for p in found.stdout.split()]


def test_down_waits_until_supervisord_and_its_processes_have_stopped(var, supervised):
    assert wait_for(lambda: len(children(supervised.pid)) == 2, timeout=20)
    replicas = children(supervised.pid)
    assert local.down(var)
    assert local.running_pid(var) is None
    assert supervised.wait(5) == 0
    for pid in replicas:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert local.down(var)  # nothing to stop is not an error


def test_up_refuses_to_start_over_a_running_platform(var, supervised):
    with pytest.raises(SystemExit, match="already runs"):
        up({"WEB_SERVER_ADDRESS": "127.0.0.1:1"})
    assert "[program:sleeper]" in (var / "supervisord.conf").read_text()  # nothing prepared


def test_up_refuses_a_gateway_address_in_use(var):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        address = f"127.0.0.1:{taken.getsockname()[1]}"
        with pytest.raises(SystemExit, match=f"something else listens on {address}"):
            up({"WEB_SERVER_ADDRESS": address})
