"""What a part's probes conclude from the files its processes write (chassis/probes.py)."""

import os

from chassis.probes import ALIVE_SECONDS, Probe, read, verdict, write


def test_ready_only_if_every_process_is_ready_and_has_written_lately():
    now = 1000.0
    fine = Probe("catalog", 1, now - 1, ready=True)
    busy = Probe("catalog", 2, now - 1, ready=False, why="all 4 workers have been busy")
    silent = Probe("catalog", 3, now - ALIVE_SECONDS - 1, ready=True)
    assert verdict([fine], "ready", now) == (True, "catalog 1: ready")
    ok, said = verdict([fine, busy], "ready", now)
    assert not ok and "catalog 2: not ready: all 4 workers" in said
    assert verdict([fine, busy], "alive", now)[0]  # busy is alive
    ok, said = verdict([fine, silent], "alive", now)
    assert not ok and "catalog 3: silent for 31s" in said
    assert verdict([], "alive", now) == (False, "no process of this part has written its probe")


def test_a_file_whose_process_is_gone_is_not_read(tmp_path):
    write(tmp_path, Probe("catalog", os.getpid(), 1.0, ready=True))
    gone = 2**22 + 1  # above Linux's pid_max default: no such process
    write(tmp_path, Probe("catalog", gone, 1.0, ready=False, why="gone"))
    write(tmp_path, Probe("catalogue", os.getpid(), 1.0, ready=False, why="another part"))
    (tmp_path / "catalog-9.json").write_text("{half")
    assert [p.pid for p in read(tmp_path, "catalog")] == [os.getpid()]
