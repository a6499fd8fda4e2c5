"""The driver's npm packages, installed on first use: once per machine (node_modules stays), once per run.

`ensure_driver()` runs `npm install` (package.json's exact versions, no lock file) when Node >= 20
and npm are here and the packages are not. Parallel workers of one run take a file lock: the first
installs, the others wait and find the packages there. A failed install is remembered for the run
(its id), so the other workers report the same reason instead of trying again.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from .sdk_process import DRIVER_DIR, driver_problem, node_problem, npm_install_command, packages_problem

INSTALL_TIMEOUT = 600.0  # the SDK and ws from the registry; generous for a slow network


def _lock_path() -> Path:
    digest = hashlib.sha1(str(DRIVER_DIR).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"im-e2e-websdk-{digest}.lock"


def _failed_in_this_run(run_id: str | None) -> str | None:
    marker = _lock_path().with_suffix(".failed")
    if run_id is None or not marker.exists():
        return None
    try:
        memo = json.loads(marker.read_text())
    except (OSError, ValueError):
        return None
    return memo.get("reason") if memo.get("run_id") == run_id else None


def _remember_failure(run_id: str | None, reason: str) -> None:
    if run_id is not None:
        _lock_path().with_suffix(".failed").write_text(json.dumps({"run_id": run_id, "reason": reason}))


def install_packages(timeout: float = INSTALL_TIMEOUT) -> str | None:
    """Run npm install for the driver now; None on success, else why it failed."""
    command = npm_install_command()
    npm = shutil.which(command[0])
    if npm is None:
        return f"npm is not on PATH (it comes with Node); install it, then run `{shlex.join(command)}`"
    try:
        done = subprocess.run([npm, *command[1:]], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"`{shlex.join(command)}` did not finish within {timeout:g}s"
    if done.returncode != 0:
        tail = " | ".join((done.stderr or done.stdout).strip().splitlines()[-5:])
        return f"`{shlex.join(command)}` failed (exit {done.returncode}): {tail}"
    return packages_problem()


def ensure_driver(run_id: str | None = None) -> str | None:
    """None when the driver can run (installing its packages first if needed), else why not."""
    if node_problem() or not packages_problem():
        return driver_problem()
    with open(_lock_path(), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # bounded: the holder's npm install has a timeout
        try:
            if not packages_problem():
                return None  # another worker installed them while this one waited
            reason = _failed_in_this_run(run_id)
            if reason is None:
                reason = install_packages()
                if reason:
                    _remember_failure(run_id, reason)
            return reason
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
