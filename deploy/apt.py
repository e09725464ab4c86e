"""Installing a Debian/Ubuntu package for a tool the project runs (the broker, wrk):
only where apt-get is there and we are root, so nothing ever asks for a password.

On a fresh machine or image the package lists are empty or stale, so a package apt
does not know, or one that fails to install, is tried once more after apt-get update.
"""

from __future__ import annotations

import os
import shutil
import subprocess

ENV = {"DEBIAN_FRONTEND": "noninteractive"}


def log(message: str) -> None:
    print(f"[apt] {message}", flush=True)


def can_install() -> bool:
    return shutil.which("apt-get") is not None and os.geteuid() == 0


def _run(*command: str, timeout: float) -> bool:
    log("$ " + " ".join(command))
    return subprocess.run(command, env={**os.environ, **ENV}, timeout=timeout).returncode == 0


def known(package: str) -> bool:
    """Whether apt's package lists offer `package` (they may be stale all the same)."""
    return (
        subprocess.run(["apt-cache", "show", package], capture_output=True, timeout=60).returncode
        == 0
    )


def install(package: str) -> bool:
    """Install `package` with apt-get, updating the lists first if need be; False if
    this machine has no apt-get, we are not root, or apt-get fails."""
    if not can_install():
        return False
    if known(package) and _run("apt-get", "install", "-y", "-q", package, timeout=600):
        return True
    return _run("apt-get", "update", "-q", timeout=300) and _run(
        "apt-get", "install", "-y", "-q", package, timeout=600
    )
