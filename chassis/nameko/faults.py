"""A fault the fault suite (tests/chaos) injects where luck would rarely put it: a
process killed between a write's commit and its answer, the moment at which only the
answered-request record (DatabaseSession.write_once) keeps the client's retry from
doing the write twice, and the broker delivers the unacknowledged request again.

Off unless FAULT_DIR names a folder. A file `kill-after-commit.<part>` there is taken
by the next write of that part to commit: removed first (so exactly one process takes
it), then the process is killed with SIGKILL, before it replies or acknowledges.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path


def trigger(fault_dir: str | Path, part: str) -> Path:
    return Path(fault_dir) / f"kill-after-commit.{part}"


def after_commit(config: dict, part: str) -> None:
    if not config.get("FAULT_DIR"):
        return
    try:
        trigger(config["FAULT_DIR"], part).unlink()
    except FileNotFoundError:
        return
    os.kill(os.getpid(), signal.SIGKILL)
