"""[scheduler], [[webhooks]] and [[jobs]]: what `im-e2e schedule` runs, when, and whom it tells.

They live in a schedule file of their own (`im-e2e schedule --config ci/schedule.toml`) or in
im-e2e.toml; relative paths are relative to the file they are written in.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .errors import ConfigError
from .table import Table

WEBHOOK_KINDS = ("json", "dingtalk", "feishu", "slack")
NOTIFY_WHEN = ("failure", "always")


@dataclass(frozen=True)
class Webhook:
    name: str
    kind: str
    url: str
    notify: str = "failure"
    secret: str | None = None
    timeout: float = 10.0
    headers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Webhook":
        return parse_webhook(Table(data, "webhooks", 0))

    def wants(self, summary: Any, override: str | None = None) -> bool:
        """Whether a run with this summary (anything with `.ok`) is posted."""
        return (override or self.notify) == "always" or not summary.ok


def parse_webhook(table: Table) -> Webhook:
    kind = table.get("kind", default="json")
    name = table.get("name") or kind or "webhook"
    notify = table.get("notify", default="failure")
    url = table.get("url")
    hook = Webhook(name=name, kind=kind, url=url or "", notify=notify, secret=table.get("secret") or None,
                   timeout=table.get("timeout", "float", 10.0), headers=table.get("headers", "map", {}))
    table.close()
    if kind not in WEBHOOK_KINDS:
        raise ConfigError(f"webhook {name!r}: kind must be one of {WEBHOOK_KINDS}, got {kind!r}")
    if notify not in NOTIFY_WHEN:
        raise ConfigError(f"webhook {name!r}: notify must be one of {NOTIFY_WHEN}")
    if not url:
        raise ConfigError(f"webhook {name!r}: url is required")
    return hook


@dataclass(frozen=True)
class Job:
    name: str
    owners: tuple[str, ...] = ()
    marker: str | None = None
    target: str | None = None
    workers: str | None = None
    args: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    cron: str | None = None
    interval: float | None = None
    timeout: float | None = None          # stop the run after this many seconds
    webhooks: tuple[str, ...] | None = None   # names; None = all
    notify: str | None = None             # overrides each webhook's own `notify`
    health_check: bool = True

    def describe(self) -> str:
        if self.owners:
            what = f"owner {'+'.join(self.owners)}"
        else:
            what = f"-m {self.marker!r}" if self.marker else "all tests"
        when = f"cron {self.cron!r}" if self.cron else f"every {self.interval:g}s"
        return f"{self.name}: {what} on {self.target or 'the default target'}, {when}"


def check_cron(line: str, timezone: str | None, where: str) -> None:
    """Fail on a bad cron line when the file is read, not at the first fire time."""
    from apscheduler.triggers.cron import CronTrigger

    try:
        CronTrigger.from_crontab(line, timezone=timezone)
    except ValueError as exc:
        raise ConfigError(f"{where}: cron {line!r}: {exc}") from None


def parse_job(table: Table, number: int, webhooks: set[str], timezone: str | None) -> Job:
    name = table.get("name") or f"job-{number}"
    cron = table.get("cron")
    if bool(cron) == ("interval" in table):
        raise ConfigError(f"job {name!r} needs exactly one of cron = \"…\" or interval = \"…\"")
    notify = table.get("notify")
    if notify not in (None, *NOTIFY_WHEN):
        raise ConfigError(f"job {name!r}: notify must be one of {NOTIFY_WHEN}")
    hooks = table.get("webhooks", "strings")
    unknown = set(hooks or ()) - webhooks
    if unknown:
        raise ConfigError(f"job {name!r} names unknown webhooks {sorted(unknown)}")
    workers = table.get("workers", "any")
    job = Job(name=name, owners=table.get("owner", "strings", ()), marker=table.get("marker"),
              target=table.get("target"), workers=None if workers is None else str(workers),
              args=table.get("args", "strings", ()), env=table.get("env", "map", {}), cron=cron,
              interval=table.get("interval", "duration"), timeout=table.get("timeout", "duration"),
              webhooks=hooks, notify=notify, health_check=table.get("health_check", "bool", True))
    table.close()
    if cron:
        check_cron(cron, timezone, f"job {name!r}")
    return job


@dataclass(frozen=True)
class ScheduleConfig:
    jobs: tuple[Job, ...] = ()
    webhooks: tuple[Webhook, ...] = ()
    project: Path | None = None
    reports_dir: Path | None = None
    timezone: str | None = None
    report_url: str | None = None         # e.g. "https://ci.example.com/im-e2e/{run_id}/report.html"
    max_parallel: int | None = None
    misfire_grace: float = 600.0
    stop_timeout: float = 120.0
    path: Path | None = None              # the file it was read from

    @property
    def root(self) -> Path:
        from ..project import find_root

        return find_root(self.project)

    @property
    def reports(self) -> Path:
        return (self.reports_dir or self.root / "reports").resolve()


SCHEDULE_SECTIONS = ("scheduler", "webhooks", "jobs")


def parse_schedule(data: Table, base: Path, path: Path | None) -> ScheduleConfig:
    """The schedule sections of `data` (a whole file's top-level table); the caller closes `data`."""
    sched = data.table("scheduler")
    here = lambda value: None if value is None else (base / value).resolve()  # noqa: E731
    timezone = sched.get("timezone")
    webhooks = tuple(parse_webhook(t) for t in data.tables("webhooks"))
    jobs = tuple(parse_job(t, n + 1, {w.name for w in webhooks}, timezone)
                 for n, t in enumerate(data.tables("jobs")))
    if len({j.name for j in jobs}) != len(jobs):
        raise ConfigError("job names must be unique")
    config = ScheduleConfig(
        jobs=jobs, webhooks=webhooks, project=here(sched.get("project")), reports_dir=here(sched.get("reports_dir")),
        timezone=timezone, report_url=sched.get("report_url"), max_parallel=sched.get("max_parallel", "int"),
        misfire_grace=sched.get("misfire_grace", "duration", 600.0),
        stop_timeout=sched.get("stop_timeout", "duration", 120.0), path=path)
    sched.close()
    return config
