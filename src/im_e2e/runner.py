"""`im-e2e run`: pytest with the project's report options, writing into `reports/<run-id>/`.

    reports/<run-id>/junit.xml, allure-results/, results.json, report.html (+ allure-report/)

Before pytest starts, a remote target gets a health check (an unhealthy one ends the run with
TARGET_UNHEALTHY and one message); the sandbox is checked by the plugin right after it started.
pytest runs in its own process group: SIGINT/SIGTERM to this process are passed on as SIGINT, so
pytest stops cleanly and still writes its results.
"""
from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import config, project
from . import health as health_mod
from .provenance import git_info
from .reports import HISTORY_FILE, allure, publish
from .reports import results as results_mod
from .reports.html import ReportUnavailable

log = logging.getLogger(__name__)

DEFAULT_PROGRESS = 30.0


@dataclass
class RunRequest:
    owners: list[str] = field(default_factory=list)
    marker: str | None = None
    target: str | None = None
    workers: str | None = None
    extra: list[str] = field(default_factory=list)    # more pytest arguments
    run_id: str | None = None
    label: str | None = None
    reports_dir: Path | None = None                   # default: <project>/reports
    health_check: bool = True
    progress: float | None = DEFAULT_PROGRESS
    allure_html: bool = True
    project: Path | None = None

    @property
    def effective_label(self) -> str:
        if self.label:
            return self.label
        if self.owners:
            return "owner " + "+".join(self.owners)
        return f"marker {self.marker}" if self.marker else "all"


def new_run_id(reports_dir: Path, label: str = "") -> str:
    """`YYYYmmdd-HHMMSS-<label>`, made unique by creating its directory."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", label).strip("-").lower()[:40]
    base = "-".join(filter(None, [time.strftime("%Y%m%d-%H%M%S"), slug]))
    reports_dir.mkdir(parents=True, exist_ok=True)
    for n in range(1, 1000):
        run_id = base if n == 1 else f"{base}-{n}"
        try:
            (reports_dir / run_id).mkdir()
            return run_id
        except FileExistsError:
            continue
    raise RuntimeError(f"cannot find a free run id under {reports_dir}")


def pytest_command(req: RunRequest, run_dir: Path, history: Path, check_in_pytest: bool) -> list[str]:
    cmd = [sys.executable, "-m", "pytest"]
    for owner in req.owners:
        cmd += ["--owner", owner]
    if req.marker:
        cmd += ["-m", req.marker]
    if req.target:
        cmd += ["--target", req.target]
    if req.workers:
        cmd += ["-n", str(req.workers)]
    # `--opt=value`: before the suite's conftest is loaded, pytest would take a separate value for a path
    # argument and look for the rootdir there
    cmd += [f"--junitxml={run_dir / 'junit.xml'}", f"--alluredir={run_dir / allure.RESULTS_DIR}",
            f"--im-report-dir={run_dir}", f"--im-history={history}", f"--im-label={req.effective_label}"]
    if req.progress is not None:
        cmd += [f"--im-progress={req.progress:g}"]
    if check_in_pytest:
        cmd += ["--im-health-check"]
    return cmd + list(req.extra)


def _write_stub(run_dir: Path, req: RunRequest, root: Path, status: str, exit_status: int, message: str,
                health: list | None = None, target: str = "", target_url: str = "") -> None:
    """results.json for a run that never reached (or never finished) pytest, so it is reported too."""
    now = time.time()
    run = results_mod.RunResults(run_id=run_dir.name, label=req.effective_label, status=status,
                                 exit_status=exit_status, message=message, started=now, finished=now,
                                 target=target or req.target or "", target_url=target_url,
                                 health=health or [], **git_info(root))
    results_mod.write(run, run_dir)


def _pre_check(req: RunRequest, root: Path) -> tuple[bool, health_mod.Health | None, dict]:
    """(check inside pytest?, the health of a remote target, its info)."""
    cfg = config.load(root, target=req.target)
    if cfg.uses_sandbox:
        return True, None, {}
    info = {**cfg.target.info(), "name": cfg.target.name}
    return False, health_mod.check(info, cfg.health, name=cfg.target.name), info


def _wait(proc: subprocess.Popen) -> int:
    """Wait for pytest; the first SIGINT/SIGTERM asks it to stop (SIGINT), the next ones insist."""
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGKILL]
    received = 0

    def forward(signum, frame) -> None:
        nonlocal received
        sig = signals[min(received, len(signals) - 1)]
        received += 1
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass

    previous = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        return proc.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run(req: RunRequest) -> int:
    root = project.find_root(req.project)
    reports_dir = (req.reports_dir or root / "reports").resolve()
    history = reports_dir / HISTORY_FILE
    run_id = req.run_id or new_run_id(reports_dir, req.effective_label)
    run_dir = reports_dir / run_id
    run_dir.mkdir(parents=True, exist_ok=True)

    check_in_pytest = False
    if req.health_check:
        try:
            check_in_pytest, health, info = _pre_check(req, root)
        except (config.ConfigError, FileNotFoundError) as exc:  # e.g. a target not configured completely
            _say(f"im-e2e: {exc}")
            return 4
        if health is not None:
            _say(health.message())
            if not health.ok:
                _write_stub(run_dir, req, root, "unhealthy", health_mod.TARGET_UNHEALTHY, health.message(),
                            health.as_dicts(), info.get("name", ""), info.get("rest_url", ""))
                _finish(run_dir, history, root, allure_html=False)
                _say(f"im-e2e: target unhealthy, no tests were run (exit {health_mod.TARGET_UNHEALTHY})")
                return health_mod.TARGET_UNHEALTHY

    cmd = pytest_command(req, run_dir, history, check_in_pytest)
    (run_dir / results_mod.RESULTS_FILE).unlink(missing_ok=True)  # a reused run id: no stale verdict
    _say(f"im-e2e run {run_id}: " + " ".join(cmd))
    proc = subprocess.Popen(cmd, cwd=root, process_group=0)
    code = _wait(proc)
    if not (run_dir / results_mod.RESULTS_FILE).is_file():
        how = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"
        _write_stub(run_dir, req, root, "error", code, f"pytest ended with {how} before writing its results")
        _finish(run_dir, history, root, allure_html=req.allure_html)
    elif req.allure_html:
        allure.generate(run_dir, root)
    _say(f"im-e2e run {run_id}: pytest exit status {code}; report {run_dir / 'report.html'}")
    return 128 - code if code < 0 else code  # killed by a signal: the shell's convention


def _finish(run_dir: Path, history: Path, root: Path, allure_html: bool) -> None:
    try:
        publish(run_dir, history)
    except ReportUnavailable as exc:
        log.warning("%s", exc)
    if allure_html:
        allure.generate(run_dir, root)
