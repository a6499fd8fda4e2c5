"""Where the suite lives: the project root (its configuration is read by im_e2e.config)."""
from __future__ import annotations

import os
from pathlib import Path

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
