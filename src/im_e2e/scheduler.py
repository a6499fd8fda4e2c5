"""`im-e2e schedule`: run suites on cron or interval triggers from a TOML file (apscheduler 3.x).

One apscheduler job per configured job (an owner's suite or a marker expression). A job never
overlaps itself (max_instances=1; missed fire times coalesce into one run). Each run is
`im-e2e run` in a child process of its own, so a crashing run cannot take the scheduler down;
when it ends, its summary goes to the configured webhooks. SIGTERM (or SIGINT) stops
scheduling, asks running suites to stop (they still write their reports) and exits.
`--once` runs every job once, one after the other, and exits (non-zero if any run failed).

The schedule is read by im_e2e.config (a schedule file, or the schedule sections of im-e2e.toml);
see ci/schedule.example.toml and docs/configuration.md for every key.
"""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from . import notify, project
from .config import DEFAULT_CONFIG, ConfigError, Job, ScheduleConfig, load_schedule
from .config import load as load_config
from .reports import results as results_mod
from .runner import new_run_id

log = logging.getLogger("im_e2e.scheduler")

def load(path: Path) -> ScheduleConfig:
    """Read and check a schedule file (im_e2e.config); `${VAR}` in strings is replaced from the environment."""
    return _with_jobs(load_schedule(path))


def from_project(root: Path | None) -> ScheduleConfig:
    """The schedule written in the project's im-e2e.toml (`im-e2e schedule` without --config)."""
    return _with_jobs(load_config(project.find_root(root)).schedule)


def _with_jobs(schedule: ScheduleConfig) -> ScheduleConfig:
    if not schedule.jobs:
        where = schedule.path or DEFAULT_CONFIG
        raise ConfigError(f"{where}: no [[jobs]] configured")
    return schedule


def command(job: Job, run_id: str, reports_dir: Path) -> list[str]:
    """The `im-e2e run` of one run of the job."""
    cmd = [sys.executable, "-m", "im_e2e", "run", "--run-id", run_id, "--label", job.name,
           "--reports-dir", str(reports_dir)]
    for owner in job.owners:
        cmd += ["--owner", owner]
    if job.marker:
        cmd += ["-m", job.marker]
    if job.target:
        cmd += ["--target", job.target]
    if job.workers:
        cmd += ["-n", str(job.workers)]
    if not job.health_check:
        cmd += ["--skip-health-check"]
    return cmd + (["--", *job.args] if job.args else [])


def trigger(job: Job, timezone: str | None):
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    if job.cron:
        return CronTrigger.from_crontab(job.cron, timezone=timezone)
    return IntervalTrigger(seconds=job.interval, timezone=timezone)


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
            proc = subprocess.Popen(command(job, run_id, reports), cwd=config.root, env=env, process_group=0,
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
        scheduler.add_job(runs.run, trigger(job, config.timezone), args=[job], id=job.name, name=job.name)
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
