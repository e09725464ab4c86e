"""CPU time by process while a benchmark runs, from /proc (Linux): which process a
request's time goes to, the gateway, its part, the parts its events reach, the
broker or the database. On a machine of 2 cores, their sum per request bounds the
throughput more than any one of them."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _group(command: str) -> str | None:
    words = command.split()
    for marker, prefix in (("pustaka.run", ""), ("tests.bench.peer", "peer ")):
        if marker in words and words.index(marker) + 1 < len(words):
            return prefix + words[words.index(marker) + 1]
    if "beam.smp" in command:
        return "broker"
    if command.startswith("postgres"):
        return "postgres"
    return None


def snapshot() -> Counter:
    """CPU seconds so far of each process of interest, by (group, pid): the processes
    this benchmark started (not another platform on the machine), and the broker and
    the database server, whoever else they serve."""
    processes = {}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile, or not ours to read
        seconds = (int(fields[11]) + int(fields[12])) / TICK
        processes[int(proc.name)] = (int(fields[1]), command, seconds)
    ours = {os.getpid()}
    grew = True
    while grew:
        found = {pid for pid, (parent, _, _) in processes.items() if parent in ours}
        grew = not found <= ours
        ours |= found
    seen: Counter = Counter()
    for pid, (_, command, seconds) in processes.items():
        group = _group(command)
        if group and (pid in ours or group in ("broker", "postgres")):
            seen[group, pid] += seconds
    return seen


def per_request(before: Counter, after: Counter, requests: int) -> dict[str, float]:
    """Milliseconds of CPU per request by group between two snapshots."""
    spent: Counter = Counter()
    for (group, pid), seconds in after.items():
        spent[group] += seconds - before.get((group, pid), 0.0)
    return {g: 1000 * s / max(requests, 1) for g, s in spent.items() if s > 0}
