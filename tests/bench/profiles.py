"""Where a route's time goes, by function: py-spy on every platform process while a
benchmark's route runs (BENCH_PROFILE=DIR in tests/bench/writes.py), and the
summary of each recording: the functions that took most samples themselves, and
the project's functions that took most with what they called.

py-spy samples a running process from outside (no change to it); it is installed
with the project's benchmark tools (`make bench-writes` does). Without it the
benchmark runs unprofiled and says so.

  python tests/bench/profiles.py DIR   the summary of recordings made before
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

RATE = 100  # samples a second: enough for a top-lines summary, light on the process
OURS = ("chassis/", "services/", "gateway/", "pustaka/")


def record(directory: Path, label: str, pids: dict[str, int], seconds: float) -> list:
    """Start recording each (group -> pid) process for `seconds`; the recorders, to
    be waited for with `finish`."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        print("   (no py-spy here: unprofiled)", file=sys.stderr, flush=True)
        return []
    directory.mkdir(parents=True, exist_ok=True)
    slug = "".join(c if c.isalnum() else "-" for c in label).strip("-")
    recorders = []
    for group, pid in pids.items():
        out = directory / f"{slug}.{group}.txt"
        command = [spy, "record", "-p", str(pid), "-r", str(RATE), "-d", str(int(seconds))]
        command += ["--nonblocking", "-f", "raw", "-o", str(out)]
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        recorders.append(subprocess.Popen(command, **quiet))
    return recorders


def finish(recorders: list) -> None:
    for recorder in recorders:
        recorder.wait(timeout=60)


def summary(path: Path, lines: int = 12) -> str:
    """The top functions of one recording: by samples in the function itself, and
    (the project's own) with what they called."""
    own, under, total = Counter(), Counter(), 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames, n = stack.split(";"), int(count)
        total += n
        own[frames[-1]] += n
        for frame in set(frames):
            if any(part in frame for part in OURS):
                under[frame] += n
    if not total:
        return f"{path.name}: no samples"
    out = [f"{path.name}: {total} samples"]
    out += [f"   self {100 * n / total:5.1f}% {f[:110]}" for f, n in own.most_common(lines)]
    out += [f"   with {100 * n / total:5.1f}% {f[:110]}" for f, n in under.most_common(lines)]
    return "\n".join(out)


def main() -> None:
    for path in sorted(Path(sys.argv[1]).glob("*.txt")):
        print(summary(path))


if __name__ == "__main__":
    main()
