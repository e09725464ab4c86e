"""Running one fault under load, and the report: one row per fault.

For each fault: the load starts (its own marker, so each fault's records are its
own), runs a few seconds, the fault is injected, the time to recover is measured
from its end, the load runs on a little and stops; every write not yet
acknowledged is sent again with its key; then the checks.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

from tests.chaos import checks
from tests.chaos.faults import Target
from tests.chaos.load import Load, Tally

WARMUP_SECONDS = 2.0
AFTER_SECONDS = 2.0
RECOVERY_TARGET = 30.0


@dataclass
class Result:
    fault: str
    database: str
    tally: Tally
    lost: list[str]
    duplicates: dict[str, int]
    events_lost: set[str]
    unanswered_in_the_end: list[str]
    recovered: float | None
    deadline: float
    took: float = 0.0  # the whole fault's run, checks included
    notes: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)  # the fault's own check

    @property
    def duplicate_count(self) -> int:
        return sum(self.duplicates.values())

    def failures(self) -> list[str]:
        """What misses the targets that are assertions (lost, duplicates, recovery)."""
        found = []
        if self.lost:
            found.append(f"writes lost: {self.lost[:5]}")
        if self.duplicate_count:
            found.append(f"duplicate effects: {self.duplicates}")
        if self.events_lost:
            found.append(f"events lost: {sorted(self.events_lost)[:5]}")
        if self.unanswered_in_the_end:
            found.append(f"never acknowledged: {self.unanswered_in_the_end[:5]}")
        if self.tally.other:
            found.append(f"other answers: {dict(self.tally.other)}")
        if self.recovered is None:
            found.append("did not recover")
        found += self.missed
        return [f"{self.fault} ({self.database}): {f}" for f in found]


def run_fault(target: Target, fault, database: str, setup: dict, deadline: float) -> Result:
    began = time.monotonic()
    marker = f"chaos{uuid.uuid4().hex[:8]}"
    load = Load(target.platform, setup, marker, deadline)
    load.start()
    try:
        time.sleep(WARMUP_SECONDS)
        ended = fault.inject(target)
        recovered = checks.recovery_seconds(target.platform, load, ended)
        time.sleep(AFTER_SECONDS)
    finally:
        load.stop()
    unanswered = [w.key for w in load.settle()]
    result = Result(
        fault=fault.name,
        database=database,
        tally=load.tally,
        lost=checks.lost_writes(target.platform, load),
        duplicates=checks.duplicate_effects(target.platform, load),
        events_lost=checks.lost_events(target.platform, target.setup["witnessed_from"]),
        unanswered_in_the_end=unanswered,
        recovered=recovered,
        deadline=deadline,
    )
    if hasattr(fault, "check"):
        result.missed = fault.check(target)
    result.took = time.monotonic() - began
    return result


COLUMNS = (
    ("fault", 40),
    ("db", 10),
    ("attempted", 9),
    ("acked", 6),
    ("503/504", 7),
    ("no answer", 9),
    ("other", 5),
    ("lost", 4),
    ("ev.lost", 7),
    ("dupl.", 5),
    ("late", 4),
    ("slowest", 7),
    ("recover", 7),
    ("took", 6),
)


def row(result: Result) -> list[str]:
    t = result.tally
    recovered = "never" if result.recovered is None else f"{result.recovered:.1f}s"
    return [
        result.fault,
        result.database,
        str(t.attempted),
        str(t.acknowledged),
        str(t.refused),
        str(t.unanswered),
        str(sum(t.other.values())),
        str(len(result.lost)),
        str(len(result.events_lost)),
        str(result.duplicate_count),
        str(t.late),
        f"{t.slowest:.1f}s",
        recovered,
        f"{result.took:.0f}s",
    ]


def report(results: list[Result]) -> str:
    """The table, then the targets each row met or missed."""
    lines = [" | ".join(name.ljust(width) for name, width in COLUMNS)]
    lines.append("-+-".join("-" * width for _, width in COLUMNS))
    for result in results:
        cells = row(result)
        lines.append(" | ".join(c.ljust(w) for c, (_, w) in zip(cells, COLUMNS, strict=True)))
    if results:
        deadline = results[0].deadline
        lines.append(
            f"targets: lost 0, ev.lost 0, dupl. 0; late = answered after the deadline "
            f"({deadline:g} s) + 1 s: 0; recover (every part acknowledging writes again, "
            f"from the fault's end) within {RECOVERY_TARGET:g} s"
        )
    for result in results:
        missed = []
        if result.tally.late:
            missed.append(f"{result.tally.late} answers later than {result.deadline + 1:g} s")
        if result.recovered is None or result.recovered > RECOVERY_TARGET:
            missed.append(f"recovery beyond {RECOVERY_TARGET:g} s")
        missed += result.notes
        if missed:
            lines.append(f"  {result.fault} ({result.database}): " + "; ".join(missed))
    return "\n".join(lines)
