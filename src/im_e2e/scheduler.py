"""`im-e2e schedule`: run suites on cron or interval triggers from a TOML file (apscheduler 3.x).

One apscheduler job per configured job (an owner's suite or a marker expression). A job never
overlaps itself (max_instances=1; missed fire times coalesce into one run). Each run is
`im-e2e run` in a child process of its own, so a crashing run cannot take the scheduler down;
when it ends, its summary goes to the configured webhooks. SIGTERM (or SIGINT) stops
scheduling, asks running suites to stop (they still write their reports) and exits.
`--once` runs every job once, one after the other, and exits (non-zero if any run failed).

See ci/schedule.example.toml for every key.
"""
from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import notify, project
from .reports import results as results_mod
from .runner import new_run_id

log = logging.getLogger("im_e2e.scheduler")

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*$")
_UNITS = {None: 1, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def parse_duration(value: Any) -> float:
    """Seconds from 90, "90s", "15m", "1h", "1d"."""
    if isinstance(value, (int, float)):
        return float(value)
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError(f"not a duration: {value!r} (use e.g. 90, \"30s\", \"15m\", \"1h\")")
    return float(match.group(1)) * _UNITS[match.group(2)]


@dataclass
class Job:
    name: str
    owners: list[str] = field(default_factory=list)
    marker: str | None = None
    target: str | None = None
    workers: str | None = None
    args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    cron: str | None = None
    interval: float | None = None
    timeout: float | None = None          # stop the run after this many seconds
    webhooks: list[str] | None = None     # names; None = all
    notify: str | None = None             # overrides each webhook's own `notify`
    health_check: bool = True

    def command(self, run_id: str, reports_dir: Path) -> list[str]:
        cmd = [sys.executable, "-m", "im_e2e", "run", "--run-id", run_id, "--label", self.name,
               "--reports-dir", str(reports_dir)]
        for owner in self.owners:
            cmd += ["--owner", owner]
        if self.marker:
            cmd += ["-m", self.marker]
        if self.target:
            cmd += ["--target", self.target]
        if self.workers:
            cmd += ["-n", str(self.workers)]
        if not self.health_check:
            cmd += ["--skip-health-check"]
        return cmd + (["--", *self.args] if self.args else [])

    def trigger(self, timezone: str | None):
        from apscheduler.triggers.cron import CronTrigger
        from apscheduler.triggers.interval import IntervalTrigger

        if self.cron:
            return CronTrigger.from_crontab(self.cron, timezone=timezone)
        return IntervalTrigger(seconds=self.interval, timezone=timezone)

    def describe(self) -> str:
        if self.owners:
            what = f"owner {'+'.join(self.owners)}"
        else:
            what = f"-m {self.marker!r}" if self.marker else "all tests"
        when = f"cron {self.cron!r}" if self.cron else f"every {self.interval:g}s"
        return f"{self.name}: {what} on {self.target or 'the default target'}, {when}"


@dataclass
class ScheduleConfig:
    jobs: list[Job]
    webhooks: list[notify.Webhook] = field(default_factory=list)
    project: Path | None = None
    reports_dir: Path | None = None
    timezone: str | None = None
    report_url: str | None = None         # e.g. "https://ci.example.com/im-e2e/{run_id}/report.html"
    max_parallel: int | None = None
    misfire_grace: float = 600.0
    stop_timeout: float = 120.0
    path: Path | None = None

    @property
    def root(self) -> Path:
        return project.find_root(self.project)

    @property
    def reports(self) -> Path:
        return (self.reports_dir or self.root / "reports").resolve()


def load(path: Path) -> ScheduleConfig:
    """Read and check a schedule file; `${VAR}` in strings is replaced from the environment."""
    path = Path(path)
    with path.open("rb") as fh:
        data = project.expand_env(tomllib.load(fh), path.name)
    base = path.parent.resolve()
    sched = data.get("scheduler", {})

    def here(value: str | None) -> Path | None:
        return None if value is None else (base / value).resolve()

    webhooks = [notify.Webhook.from_dict(w) for w in data.get("webhooks", [])]
    known = {w.name for w in webhooks}
    jobs = []
    for raw in data.get("jobs", []):
        name = raw.get("name") or f"job-{len(jobs) + 1}"
        owners = raw.get("owner", [])
        owners = [owners] if isinstance(owners, str) else list(owners)
        if bool(raw.get("cron")) == ("interval" in raw):
            raise ValueError(f"{path}: job {name!r} needs exactly one of cron = \"…\" or interval = \"…\"")
        if raw.get("notify") not in (None, *notify.WHEN):
            raise ValueError(f"{path}: job {name!r}: notify must be one of {notify.WHEN}")
        unknown = set(raw.get("webhooks", [])) - known
        if unknown:
            raise ValueError(f"{path}: job {name!r} names unknown webhooks {sorted(unknown)}")
        job = Job(name=name, owners=owners, marker=raw.get("marker"), target=raw.get("target"),
                  workers=str(raw["workers"]) if "workers" in raw else None, args=list(raw.get("args", [])),
                  env={k: str(v) for k, v in raw.get("env", {}).items()}, cron=raw.get("cron"),
                  interval=parse_duration(raw["interval"]) if "interval" in raw else None,
                  timeout=parse_duration(raw["timeout"]) if "timeout" in raw else None,
                  webhooks=raw.get("webhooks"), notify=raw.get("notify"),
                  health_check=bool(raw.get("health_check", True)))
        job.trigger(sched.get("timezone"))  # fail on a bad cron line now, not at the first fire time
        jobs.append(job)
    if not jobs:
        raise ValueError(f"{path}: no [[jobs]] configured")
    if len({j.name for j in jobs}) != len(jobs):
        raise ValueError(f"{path}: job names must be unique")
    return ScheduleConfig(
        jobs=jobs, webhooks=webhooks, project=here(sched.get("project")), reports_dir=here(sched.get("reports_dir")),
        timezone=sched.get("timezone"), report_url=sched.get("report_url"),
        max_parallel=sched.get("max_parallel"), misfire_grace=parse_duration(sched.get("misfire_grace", 600)),
        stop_timeout=parse_duration(sched.get("stop_timeout", 120)), path=path)


class Runs:
    """Starts job runs as child processes and keeps track of them, so a stop can reach them."""

    def __init__(self, config: ScheduleConfig, console_to_file: bool):
        self.config = config
        self.console_to_file = console_to_file  # a daemon keeps each run's output in <run-dir>/console.log
        self._lock = threading.Lock()
        self._running: dict[str, subprocess.Popen] = {}
        self.stopping = threading.Event()

    def run(self, job: Job) -> int:
        """Run one job to its end (in a child process), then notify; returns the child's exit status."""
        if self.stopping.is_set():
            return 0
        config = self.config
        reports = config.reports
        run_id = new_run_id(reports, job.name)
        run_dir = reports / run_id
        env = {**os.environ, **job.env}
        log.info("%s: starting run %s", job.name, run_id)
        started = time.time()
        console = (run_dir / "console.log").open("wb") if self.console_to_file else None
        try:
            proc = subprocess.Popen(job.command(run_id, reports), cwd=config.root, env=env, process_group=0,
                                    stdout=console, stderr=subprocess.STDOUT if console else None)
        except OSError as exc:
            log.error("%s: cannot start the run: %s", job.name, exc)
            return 1
        finally:
            if console is not None:
                console.close()  # the child has its own copy
        with self._lock:
            self._running[run_id] = proc
        try:
            code = self._wait(job, proc)
        finally:
            with self._lock:
                self._running.pop(run_id, None)
        log.info("%s: run %s ended with exit status %s after %.0fs", job.name, run_id, code, time.time() - started)
        if self.stopping.is_set():
            log.info("%s: stopped by the scheduler, no notification", job.name)
            return code
        self._notify(job, run_id, run_dir, code)
        return code

    def _wait(self, job: Job, proc: subprocess.Popen) -> int:
        try:
            return proc.wait(timeout=job.timeout)
        except subprocess.TimeoutExpired:
            log.warning("%s: still running after %.0fs, stopping it", job.name, job.timeout)
            _stop_group(proc, self.config.stop_timeout)
            return proc.wait()

    def _notify(self, job: Job, run_id: str, run_dir: Path, code: int) -> None:
        try:
            run = results_mod.read(run_dir)
        except (OSError, ValueError):
            how = f"signal {-code}" if code < 0 else f"exit status {code}"
            run = results_mod.RunResults(run_id=run_id, label=job.name, status="error", exit_status=code,
                                         message=f"the run crashed ({how}) and left no results")
        summary = notify.Summary.of(run, job.name, self.config.report_url, run_dir)
        hooks = [w for w in self.config.webhooks if job.webhooks is None or w.name in job.webhooks]
        for webhook in hooks:
            if webhook.wants(summary, job.notify):
                notify.post(webhook, summary)

    def stop_all(self) -> None:
        """Ask every running suite to stop (SIGINT to its process group) and wait for them."""
        self.stopping.set()
        with self._lock:
            running = list(self._running.values())
        for proc in running:
            _stop_group(proc, self.config.stop_timeout)


def _stop_group(proc: subprocess.Popen, timeout: float) -> None:
    """Stop an `im-e2e run`: SIGINT (pytest wraps up and reports); each further SIGINT makes the run insist
    (SIGTERM, then SIGKILL to pytest); a run that still does not end is killed."""
    steps = ((signal.SIGINT, timeout), (signal.SIGINT, 10.0), (signal.SIGINT, 10.0), (signal.SIGKILL, 10.0))
    for sig, wait in steps:
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            log.warning("run process %s did not stop within %.0fs after %s", proc.pid, wait, sig.name)


def run_once(config: ScheduleConfig, only: list[str] | None = None) -> int:
    """Every job (or the named ones) once, in order; 0 if all runs passed."""
    runs = Runs(config, console_to_file=False)
    worst = 0
    stop = _install_stop(runs.stop_all)
    try:
        for job in config.jobs:
            if only and job.name not in only:
                continue
            if stop.is_set():
                break
            code = runs.run(job)
            worst = worst or code
    finally:
        _restore_signals()
    return worst


_previous_handlers: dict = {}


def _install_stop(on_stop) -> threading.Event:
    stop = threading.Event()

    def handler(signum, frame) -> None:
        if not stop.is_set():
            log.info("received %s: stopping", signal.Signals(signum).name)
            stop.set()
            threading.Thread(target=on_stop, name="im-e2e-stop", daemon=True).start()

    for sig in (signal.SIGTERM, signal.SIGINT):
        _previous_handlers[sig] = signal.signal(sig, handler)
    return stop


def _restore_signals() -> None:
    for sig, handler in _previous_handlers.items():
        signal.signal(sig, handler)
    _previous_handlers.clear()


def serve(config: ScheduleConfig, only: list[str] | None = None) -> int:
    """Run the schedule until SIGTERM/SIGINT."""
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.schedulers.background import BackgroundScheduler

    jobs = [j for j in config.jobs if not only or j.name in only]
    runs = Runs(config, console_to_file=True)
    workers = config.max_parallel or len(jobs)
    scheduler = BackgroundScheduler(executors={"default": ThreadPoolExecutor(workers)},
                                    job_defaults={"max_instances": 1, "coalesce": True,
                                                  "misfire_grace_time": int(config.misfire_grace)},
                                    timezone=config.timezone or _local_zone())
    for job in jobs:
        scheduler.add_job(runs.run, job.trigger(config.timezone), args=[job], id=job.name, name=job.name)
    stop = _install_stop(lambda: None)
    scheduler.start()
    for entry in scheduler.get_jobs():
        log.info("scheduled %s; next run %s", next(j for j in jobs if j.name == entry.id).describe(),
                 entry.next_run_time)
    try:
        while not stop.wait(1.0):
            pass
    finally:
        _restore_signals()
        log.info("stopping: no new runs; asking running suites to stop")
        scheduler.pause()
        runs.stop_all()
        scheduler.shutdown(wait=True)  # the job threads end once their runs have
        log.info("stopped")
    return 0


def _local_zone():
    from tzlocal import get_localzone

    return get_localzone()
