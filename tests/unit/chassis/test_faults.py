"""The fault suite's kill between commit and answer: off without FAULT_DIR, taken by
exactly one write when its trigger file is there."""

import signal

from chassis.nameko import faults


def test_the_kill_is_off_without_a_fault_folder_and_taken_once_with_one(tmp_path, monkeypatch):
    killed = []
    monkeypatch.setattr(faults.os, "kill", lambda pid, sig: killed.append(sig))
    faults.after_commit({"FAULT_DIR": ""}, "catalog")
    faults.after_commit({"FAULT_DIR": str(tmp_path)}, "catalog")  # no trigger: nothing
    assert killed == []
    faults.trigger(tmp_path, "catalog").touch()
    faults.after_commit({"FAULT_DIR": str(tmp_path)}, "people")  # another part's: not it
    assert killed == []
    faults.after_commit({"FAULT_DIR": str(tmp_path)}, "catalog")
    faults.after_commit({"FAULT_DIR": str(tmp_path)}, "catalog")
    assert killed == [signal.SIGKILL]
    assert not faults.trigger(tmp_path, "catalog").exists()
