"""Allure: results come from allure-pytest (`--alluredir`); the HTML needs the `allure` command line.

The command line (npm `allure-commandline`, needs Java) is optional: without it the HTML step is
skipped with a note, everything else of the run is unaffected.
"""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
from pathlib import Path

log = logging.getLogger(__name__)

RESULTS_DIR = "allure-results"
REPORT_DIR = "allure-report"
ALLURE_ENV = "IM_E2E_ALLURE"


def find_allure(project_root: Path | None = None) -> str | None:
    """$IM_E2E_ALLURE (a path, or "off"), `allure` on PATH, or the project's node_modules/.bin/allure."""
    explicit = os.environ.get(ALLURE_ENV)
    if explicit == "off":
        return None
    if explicit:
        return explicit if Path(explicit).is_file() or shutil.which(explicit) else None
    found = shutil.which("allure")
    if found:
        return found
    if project_root is not None:
        local = project_root / "node_modules" / ".bin" / "allure"
        if local.is_file():
            return str(local)
    return None


def write_environment(results_dir: Path, values: dict[str, str]) -> None:
    """`environment.properties`: shown in the Environment widget of the Allure report."""
    results_dir.mkdir(parents=True, exist_ok=True)
    lines = [f"{key}={str(value).replace(chr(10), ' ')}" for key, value in values.items() if value not in (None, "")]
    (results_dir / "environment.properties").write_text("\n".join(lines) + "\n", encoding="utf-8")


def generate(run_dir: Path, project_root: Path | None = None, timeout: float = 300) -> Path | None:
    """Build `run_dir/allure-report` from `run_dir/allure-results`; None (with a logged note) if not possible."""
    results = run_dir / RESULTS_DIR
    if not results.is_dir() or not any(results.iterdir()):
        log.info("allure: no results in %s, no Allure HTML", results)
        return None
    allure = find_allure(project_root)
    if allure is None:
        log.info("allure: command line not found (npm install -g allure-commandline; needs Java), "
                 "skipping the Allure HTML; results stay in %s", results)
        return None
    out = run_dir / REPORT_DIR
    try:
        proc = subprocess.run([allure, "generate", "--clean", "-o", str(out), str(results)],
                              capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("allure: generate failed: %s", exc)
        return None
    if proc.returncode != 0:
        log.warning("allure: generate exited %s: %s", proc.returncode, (proc.stderr or proc.stdout).strip()[-2000:])
        return None
    log.info("allure: report in %s", out / "index.html")
    return out
