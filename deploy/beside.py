"""Run commands side by side: the first with its output as it comes, each other's kept
and shown whole when the first has ended (so that nothing interleaves); exit 1 if any
failed. `make test` runs the browser tier and the other Pythons' tiers beside the
rest: most of each waits on the broker, the databases and the platforms' start, so
together they take little longer than the longest alone.

  python -m deploy.beside ::: CMD ARGS... ::: CMD ARGS... [::: ...]

(`:::`, as GNU parallel writes it: a command's own arguments may hold `--`.)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from contextlib import ExitStack

SEPARATOR = ":::"


def commands(argv: list[str]) -> list[list[str]]:
    """The commands of `::: a b ::: c d`: [[a, b], [c, d]] (empty ones dropped)."""
    found: list[list[str]] = []
    for word in argv:
        if word == SEPARATOR:
            found.append([])
        elif found:
            found[-1].append(word)
        else:
            raise SystemExit("usage: python -m deploy.beside ::: CMD ARGS... [::: CMD ARGS...]")
    return [c for c in found if c]


def run(cmds: list[list[str]]) -> int:
    first, *others = cmds
    with ExitStack() as stack:
        kept = [stack.enter_context(tempfile.TemporaryFile("w+")) for _ in others]
        started = [
            subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
            for cmd, out in zip(others, kept, strict=True)
        ]
        codes = [subprocess.run(first).returncode]
        for cmd, process, out in zip(others, started, kept, strict=True):
            codes.append(process.wait())
            out.seek(0)
            print(f"\n[beside] {' '.join(cmd)}: exit {codes[-1]}", flush=True)
            sys.stdout.write(out.read())
            sys.stdout.flush()
    return 0 if all(code == 0 for code in codes) else 1


def main(argv: list[str] | None = None) -> int:
    cmds = commands(sys.argv[1:] if argv is None else argv)
    if not cmds:
        raise SystemExit("nothing to run")
    return run(cmds)


if __name__ == "__main__":
    sys.exit(main())
