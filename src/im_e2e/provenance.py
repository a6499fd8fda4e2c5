"""What a run is built from: the suite's git commit, branch and whether the tree has local changes."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any


def git_info(root: Path) -> dict[str, Any]:
    """HEAD commit, branch and whether the tree has local changes; CI variables when git is absent."""
    def git(*args: str) -> str | None:
        try:
            out = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return out.stdout.strip() if out.returncode == 0 else None

    commit = git("rev-parse", "HEAD") or os.environ.get("GITHUB_SHA") or os.environ.get("CI_COMMIT_SHA") or ""
    branch = (git("rev-parse", "--abbrev-ref", "HEAD") or os.environ.get("GITHUB_REF_NAME")
              or os.environ.get("CI_COMMIT_REF_NAME") or "")
    status = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit, "branch": branch, "dirty": bool(status)}
