"""Reading the configuration: environment variables over im-e2e.toml (or the file $IM_E2E_CONFIG names).

One rule for a missing file: named by IM_E2E_CONFIG and absent is an error; the default
`<project>/im-e2e.toml` absent means defaults. `${NAME}` is expanded in every section; unknown
sections and keys are errors that name them.
"""
from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Mapping

from .env import expand_env
from .errors import ConfigError
from .model import DEFAULT_CONFIG, Config
from .schedule import SCHEDULE_SECTIONS, ScheduleConfig, parse_schedule
from .sections import (SANDBOX, TARGET_KEYS, TARGET_KINDS, TargetConfig, parse_app_config, parse_diagnostics,
                       parse_health, parse_load, parse_storage, parse_suite, parse_target)
from .table import Table, convert

CONFIG_ENV = "IM_E2E_CONFIG"
TARGET_ENV = "IM_E2E_TARGET"

# environment variable -> (section, key); the target keys apply to the run's target
ENV_KEYS: dict[str, tuple[str, str]] = {
    "IM_E2E_TRANSPORTS": ("suite", "transports"),
    "IM_E2E_CLEANUP_USERS": ("suite", "cleanup_users"),
    "IM_E2E_APP_CONFIG_BACKEND": ("app_config", "backend"),
    "IM_E2E_EVENT_SOURCE": ("storage", "events"),
}
TARGET_ENV_KEYS = {f"IM_E2E_{key.upper()}": key for key in TARGET_KEYS}


def config_path(root: Path | None, environ: Mapping[str, str] = os.environ) -> tuple[Path | None, bool]:
    """(the file to read, whether it was named explicitly); (None, False) when there is nothing to read."""
    named = environ.get(CONFIG_ENV)
    if named:
        return Path(named).expanduser(), True
    if root is None:
        return None, False
    return Path(root) / DEFAULT_CONFIG, False


def read_toml(path: Path | None, named: bool) -> dict[str, Any]:
    if path is None:
        return {}
    if not path.is_file():
        if named:
            raise ConfigError(f"{CONFIG_ENV}={path}: no such file")
        return {}
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from None


def _overlay_env(data: dict[str, Any], environ: Mapping[str, str]) -> dict[str, Any]:
    """The file's data with the IM_E2E_* variables of ENV_KEYS written over it (as strings; typed later)."""
    merged = {k: (dict(v) if isinstance(v, dict) else v) for k, v in data.items()}
    for env, (section, key) in ENV_KEYS.items():
        value = environ.get(env)
        if value:
            table = merged.setdefault(section, {})
            if not isinstance(table, dict):
                raise ConfigError(f"[{section}] must be a table")
            table[key] = value
    return merged


def _run_target(data: Table, override: str | None, environ: Mapping[str, str], file_name: str) -> TargetConfig:
    """The run's target: `override`, else IM_E2E_TARGET, else [target] name, else the sandbox; the
    IM_E2E_<KEY> variables over its [targets.NAME]."""
    section = data.table("target")
    in_file = section.get("name")
    section.close()
    name = override or environ.get(TARGET_ENV) or in_file or SANDBOX
    if name == SANDBOX:
        return TargetConfig()
    table = dict(data.data.get("targets", {}).get(name, {}))
    for env, key in TARGET_ENV_KEYS.items():
        if environ.get(env):
            table[key] = convert(environ[env], TARGET_KINDS[key], env)
    return parse_target(name, Table(table, f"targets.{name}")).checked(file_name)


def _parse(data: Table, override: str | None, environ: Mapping[str, str], path: Path | None) -> Config:
    file_name = path.name if path is not None else DEFAULT_CONFIG
    targets = data.table("targets")
    files_targets = {}
    for name in targets.data:
        files_targets[name] = parse_target(name, targets.table(name))
    config = Config(
        target=_run_target(data, override, environ, file_name),
        targets=files_targets,
        suite=parse_suite(data.table("suite")),
        app_config=parse_app_config(data.table("app_config")),
        storage=parse_storage(data.table("storage")),
        health=parse_health(data.table("health")),
        diagnostics=parse_diagnostics(data.table("diagnostics")),
        schedule=parse_schedule(data, (path.parent if path is not None else Path.cwd()).resolve(), path),
        load=parse_load(data.table("load")),
        path=path,
    )
    unknown = sorted(set(data.data) - data.known)
    if unknown:
        raise ConfigError(f"unknown section{'s' if len(unknown) > 1 else ''} in {file_name}: "
                          f"{', '.join(f'[{s}]' for s in unknown)} (known: "
                          f"{', '.join(f'[{s}]' for s in sorted(data.known))}; see docs/configuration.md)")
    return config


def load(root: Path | None = None, *, target: str | None = None,
         environ: Mapping[str, str] | None = None) -> Config:
    """The configuration of a run in project `root`; `target` (e.g. `--target`) picks the target."""
    environ = os.environ if environ is None else environ
    path, named = config_path(root, environ)
    raw = read_toml(path, named)
    path = path if path is not None and path.is_file() else None
    try:
        return _parse(Table(_overlay_env(expand_env(raw, environ), environ)), target, environ, path)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}" if path is not None else str(exc)) from None


def load_schedule(path: Path, environ: Mapping[str, str] | None = None) -> ScheduleConfig:
    """A schedule file (`im-e2e schedule --config FILE`): only [scheduler], [[webhooks]] and [[jobs]]."""
    environ = os.environ if environ is None else environ
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: no such schedule file")
    data = Table(expand_env(read_toml(path, True), environ))
    try:
        schedule = parse_schedule(data, path.parent.resolve(), path)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    unknown = sorted(set(data.data) - set(SCHEDULE_SECTIONS))
    if unknown:
        raise ConfigError(f"unknown section{'s' if len(unknown) > 1 else ''} in schedule file {path.name}: "
                          f"{', '.join(f'[{s}]' for s in unknown)} (a schedule file has "
                          f"{', '.join(f'[{s}]' for s in SCHEDULE_SECTIONS)}; the target and the rest are in "
                          f"{DEFAULT_CONFIG})")
    return schedule
