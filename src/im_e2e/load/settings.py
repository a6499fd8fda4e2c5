"""The cell's traffic-control settings, set on the target through its app-settings backend (the
suite's: im_e2e.app_settings; `[app_config] backend`): `sandbox` (the admin REST), `command` (the
configured templates; docs/load-on-a-cluster.md shows the msync sys.config reload), `none`.

Where a setting cannot be changed (backend `none`, or no `[app_config.settings]` mapping for it)
the cell runs with what is there: the value is read back where a `get` exists, and the report
says "as found" instead of the planned value."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from im_client import RestClient, Target

from ..app_settings import BackendError, CommandBackend, CommandSettings, SandboxBackend
from ..config import Config
from .scenarios import Cell


def wanted(cell: Cell) -> dict[str, Any]:
    planned = {"traffic_control_enabled": cell.traffic_control, "traffic_control_ticket_max": cell.ticket_max,
               "traffic_control_timeout": cell.timeout_ms}
    if cell.offline_limit:
        planned["group_offline_limit"] = cell.offline_limit
    return planned


def backend_for(config: Config, target_name: str, target: Target, admin: RestClient, cwd: Path) -> Any:
    kind = "sandbox" if target_name == "sandbox" else config.app_config.backend or "none"
    if kind == "sandbox":
        return SandboxBackend(admin)
    if kind == "command":
        return CommandBackend(CommandSettings.of(config.app_config, cwd), target, target_name)
    return None


def apply(backend: Any, cell: Cell) -> dict[str, Any]:
    """Set what can be set, read back what can be read: {"backend", "set", "as_found", "values", "error"}."""
    planned = wanted(cell)
    if backend is None:
        return {"backend": "none", "set": [], "as_found": sorted(planned), "values": {}, "planned": planned,
                "error": None}
    unsupported = backend.unsupported(list(planned))
    settable = {k: v for k, v in planned.items() if k not in unsupported}
    report: dict[str, Any] = {"backend": backend.name, "set": sorted(settable), "as_found": sorted(unsupported),
                              "values": {}, "planned": planned, "error": None}
    try:
        backend.write(settable)
        report["values"] = backend.read(list(settable))
    except BackendError as exc:
        report.update(set=[], as_found=sorted(planned), error=str(exc))
    return report


def describe(report: dict[str, Any]) -> str:
    """One line for the console and the report: what was set, what runs as found."""
    parts = []
    if report["set"]:
        parts.append("set " + ", ".join(f"{k}={report['values'].get(k, report['planned'][k])}" for k in report["set"]))
    if report["as_found"]:
        parts.append("as found: " + ", ".join(report["as_found"]) + f" (backend {report['backend']})")
    if report["error"]:
        parts.append(f"error: {report['error'].splitlines()[0]}")
    return "; ".join(parts)
