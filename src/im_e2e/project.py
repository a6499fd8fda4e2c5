"""Where the suite lives and what it is built from: the project root, its config file, the git commit."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

CONFIG_ENV = "IM_E2E_CONFIG"
DEFAULT_CONFIG = "im-e2e.toml"
PROJECT_ENV = "IM_E2E_PROJECT"


def find_root(start: str | Path | None = None) -> Path:
    """The suite's root: the nearest directory (from `start`, $IM_E2E_PROJECT or the cwd upwards)
    that holds a conftest.py next to a pyproject.toml or pytest.ini."""
    here = Path(start or os.environ.get(PROJECT_ENV) or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "conftest.py").is_file() and any(
                (candidate / name).is_file() for name in ("pyproject.toml", "pytest.ini")):
            return candidate
    raise FileNotFoundError(f"no im-e2e project (conftest.py + pyproject.toml) at or above {here}; "
                            f"run from the checkout or set {PROJECT_ENV}")


def load_config(root: Path) -> dict[str, Any]:
    """im-e2e.toml (or $IM_E2E_CONFIG): the same file the suite's target settings come from."""
    path = Path(os.environ.get(CONFIG_ENV, root / DEFAULT_CONFIG))
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh)


def load_settings(root: Path, target: str | None):
    """The suite's own settings (fixtures/settings.py), or None for a project without them."""
    if not (root / "fixtures" / "settings.py").is_file():
        return None
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from fixtures import settings as settings_mod  # the suite's single reader of targets

    return settings_mod.load(root, target)


_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def expand_env(value: Any, where: str = "") -> Any:
    """Replace `${NAME}` in strings (recursively) with environment variables; a missing one is an error."""
    if isinstance(value, str):
        def sub(match: re.Match) -> str:
            name = match.group(1)
            if name not in os.environ:
                raise KeyError(f"{where or 'config'}: environment variable {name} is not set")
            return os.environ[name]
        return _ENV_REF.sub(sub, value)
    if isinstance(value, list):
        return [expand_env(v, where) for v in value]
    if isinstance(value, dict):
        return {k: expand_env(v, f"{where}.{k}" if where else k) for k, v in value.items()}
    return value


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
