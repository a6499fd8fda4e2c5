"""Where a cell runs: the suite's target configuration (im_e2e.config), the sandbox by default.

- `sandbox`: every cell starts a sandbox process of its own (as before): its event log gives the
  evictions, its PID the CPU and memory (the `process` metrics source).
- any other `[targets.NAME]`: only with `allow_load = true` there (a load run on a shared cluster
  is a decision, not a default); the cell reaches it through its configured address only, its
  metrics come from `[targets.NAME.metrics]`, its evictions from `[storage] events` when that names
  an event source (`jsonl:PATH`, `redis://…`, `kafka://…`; otherwise they are not counted, and the
  report says so).
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from ..config import Config, ConfigError, TargetConfig
from ..sandbox_process import SandboxProcess
from .metrics import source_for

# the event sources the ledger can read evictions from (im_e2e.event_sources.source_from_spec)
EVENT_SOURCES = ("jsonl:", "redis://", "rediss://", "unix://", "kafka://")


class LoadRefused(RuntimeError):
    """The target may not be loaded (no opt-in)."""


@dataclass
class CellTarget:
    """What one cell sees of its target."""
    name: str
    info: dict[str, Any]          # rest_url, ws_url, tcp_host, tcp_port, appkey, client_id, client_secret
    event_source: str | None      # where message.evicted can be read (jsonl:PATH, redis://…, kafka://…), or None
    metrics: Any                  # a source of metrics.py
    pid: int | None = None        # the sandbox this engine started (None for an outside target)
    run: Any = None               # engine.RunSetup of the run
    prepared: Any = None          # engine.Prepared, once the cell is set up


@dataclass(frozen=True)
class LoadTarget:
    config: TargetConfig
    events: str | None = None     # [storage] events

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def is_own_sandbox(self) -> bool:
        return self.config.is_sandbox

    def announce(self) -> str:
        if self.is_own_sandbox:
            return "load against the sandbox: every cell starts a sandbox of its own"
        return (f"load against target {self.name} (rest_url {self.config.rest_url}): allowed by "
                f"[targets.{self.name}] allow_load")

    @contextlib.contextmanager
    def open(self, sandbox_args: tuple[str, ...] = ()) -> Iterator[CellTarget]:
        if self.is_own_sandbox:
            with SandboxProcess(*sandbox_args) as sandbox:
                source = sandbox.info.get("event_source", f"jsonl:{Path(sandbox.data_dir) / 'events.jsonl'}")
                yield CellTarget("sandbox", sandbox.info, source,
                                 source_for(self.config.metrics, "sandbox", pid=sandbox.pid), sandbox.pid)
            return
        events = self.events if self.events and self.events.startswith(EVENT_SOURCES) else None
        yield CellTarget(self.name, self.config.info(), events, source_for(self.config.metrics, self.name))


def load_target(config: Config, name: str | None = None) -> LoadTarget:
    """The target of a load run: `name` (--target), else the configured one; LoadRefused without the
    opt-in, ConfigError when it is not configured completely."""
    target = config.target if name is None else config.target_named(name)
    if not target.is_sandbox:
        target = target.checked(config.file_name)
        if not target.allow_load:
            raise LoadRefused(
                f"refusing to load target {target.name!r} (rest_url {target.rest_url}): a load run against anything "
                f"but the sandbox needs allow_load = true in [targets.{target.name}] of {config.file_name} "
                f"(or run with --target sandbox)")
    return LoadTarget(target, config.storage.events)


__all__ = ["CellTarget", "ConfigError", "LoadRefused", "LoadTarget", "load_target"]
