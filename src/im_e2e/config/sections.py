"""The sections of im-e2e.toml as frozen dataclasses, each with the parser of its table.

Every section is documented key by key in docs/configuration.md.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping

from im_client.transport import TRANSPORTS

from ..diagnostics import EACH, CommandSpec
from ..diagnostics import Settings as DiagnosticsSettings
from ..health import HealthSettings
from .errors import ConfigError
from .table import Table

SANDBOX = "sandbox"
TARGET_KEYS = ("rest_url", "ws_url", "tcp_host", "tcp_port", "appkey", "client_id", "client_secret")
REQUIRED_TARGET_KEYS = TARGET_KEYS[:5]


# ------------------------------------------------------------------------------------ targets
METRICS_SOURCES = ("process", "prometheus", "command", "none")


@dataclass(frozen=True)
class MetricsConfig:
    """[targets.NAME.metrics]: where a load run reads the server's CPU and memory (im_e2e.load.metrics).
    `source` None: `process` for a sandbox the load engine starts itself, `none` elsewhere."""

    source: str | None = None
    pid: int | None = None        # process: the PID to sample (on this machine)
    url: str = ""                 # prometheus: the server's base URL (http://prom:9090)
    cpu_query: str = ""           # prometheus: PromQL giving % of one core per node
    memory_query: str = ""        # prometheus: PromQL giving resident bytes per node
    node_label: str = "instance"  # prometheus: the label that names a node
    step: float = 1.0             # prometheus: seconds between points of query_range
    command: str = ""             # command: prints JSON samples ({start} {end} {target} placeholders)
    timeout: float = 30.0         # prometheus and command: seconds


def parse_metrics(table: Table) -> MetricsConfig:
    section = MetricsConfig(
        source=table.get("source"), pid=table.get("pid", "int"), url=table.get("url", default=""),
        cpu_query=table.get("cpu_query", default=""), memory_query=table.get("memory_query", default=""),
        node_label=table.get("node_label", default="instance"), step=table.get("step", "float", 1.0),
        command=table.get("command", default=""), timeout=table.get("timeout", "float", 30.0))
    table.close()
    if section.source is not None and section.source not in METRICS_SOURCES:
        raise ConfigError(f"{table.where} source must be one of {', '.join(METRICS_SOURCES)}, got {section.source!r}")
    needs = {"process": ("pid",), "prometheus": ("url", "cpu_query", "memory_query"), "command": ("command",)}
    missing = [k for k in needs.get(section.source or "", ()) if getattr(section, k) in ("", None)]
    if missing:
        raise ConfigError(f"{table.where} source = {section.source!r} needs {', '.join(missing)}")
    return section


@dataclass(frozen=True)
class TargetConfig:
    """A target: the embedded sandbox (name "sandbox", no keys) or a remote cluster's endpoints."""

    name: str = SANDBOX
    rest_url: str = ""
    ws_url: str = ""
    tcp_host: str = ""
    tcp_port: int | None = None
    appkey: str = ""
    client_id: str = ""
    client_secret: str = ""
    allow_load: bool = False              # `im-e2e load` may run against it (never needed for the sandbox)
    metrics: MetricsConfig = MetricsConfig()

    @property
    def is_sandbox(self) -> bool:
        return self.name == SANDBOX

    def info(self) -> dict[str, Any]:
        """The keys that are set (what `im_client.Target.from_info` takes)."""
        return {k: getattr(self, k) for k in TARGET_KEYS if getattr(self, k) not in ("", None)}

    def missing(self) -> list[str]:
        return [k for k in REQUIRED_TARGET_KEYS if getattr(self, k) in ("", None)]

    def checked(self, file_name: str) -> "TargetConfig":
        """This target, or a ConfigError naming what it lacks (the sandbox needs nothing)."""
        missing = [] if self.is_sandbox else self.missing()
        if missing:
            raise ConfigError(f"target {self.name!r} is missing {', '.join(missing)} "
                              f"(set IM_E2E_{missing[0].upper()} or [targets.{self.name}] in {file_name})")
        return self


TARGET_KINDS = {k: ("int" if k == "tcp_port" else "str") for k in TARGET_KEYS}


def parse_target(name: str, table: Table) -> TargetConfig:
    values = {k: table.get(k, TARGET_KINDS[k]) for k in TARGET_KEYS}
    allow_load = table.get("allow_load", "bool", False)
    metrics = parse_metrics(table.table("metrics"))
    table.close()
    return TargetConfig(name=name, allow_load=allow_load, metrics=metrics,
                        **{k: v for k, v in values.items() if v is not None})


# ------------------------------------------------------------------------------------ suite
@dataclass(frozen=True)
class SuiteConfig:
    transports: tuple[str, ...] = TRANSPORTS
    cleanup_users: bool = True


def parse_suite(table: Table) -> SuiteConfig:
    transports = table.get("transports", "strings", TRANSPORTS)
    cleanup = table.get("cleanup_users", "bool", True)
    table.close()
    unknown = sorted(set(transports) - set(TRANSPORTS))
    if unknown:
        raise ConfigError(f"unknown transport(s) {unknown}; choose from {TRANSPORTS}")
    if not transports:
        raise ConfigError(f"[suite] transports is empty; choose from {TRANSPORTS}")
    return SuiteConfig(transports=tuple(transports), cleanup_users=cleanup)


# ------------------------------------------------------------------------------------ app_config
APP_CONFIG_BACKENDS = ("sandbox", "command", "none")
ISOLATIONS = ("exclusive", "dedicated")


@dataclass(frozen=True)
class AppConfigConfig:
    """[app_config]: how tests change app settings. `backend` None: the default of the target
    (`sandbox` on the sandbox, `none` elsewhere)."""

    backend: str | None = None
    get: str = ""
    set: str = ""
    unset: str = ""
    timeout: float = 30.0
    isolation: str = "exclusive"
    target: str | None = None
    lock_dir: Path | None = None
    journal_dir: Path | None = None
    settings: Mapping[str, str] = field(default_factory=dict)

    def backend_for(self, target: TargetConfig) -> str:
        return self.backend or ("sandbox" if target.is_sandbox else "none")


def parse_app_config(table: Table) -> AppConfigConfig:
    path = lambda key: None if table.get(key) is None else Path(table.get(key)).expanduser()  # noqa: E731
    section = AppConfigConfig(
        backend=table.get("backend"), get=table.get("get", default=""), set=table.get("set", default=""),
        unset=table.get("unset", default=""), timeout=table.get("timeout", "float", 30.0),
        isolation=table.get("isolation", default="exclusive"), target=table.get("target"),
        lock_dir=path("lock_dir"), journal_dir=path("journal_dir"), settings=table.get("settings", "map", {}))
    table.close()
    if section.backend is not None and section.backend not in APP_CONFIG_BACKENDS:
        raise ConfigError(f"unknown app-config backend {section.backend!r} (IM_E2E_APP_CONFIG_BACKEND or "
                          f"[app_config] backend); choose from {', '.join(APP_CONFIG_BACKENDS)}")
    if section.isolation not in ISOLATIONS:
        raise ConfigError(f"[app_config] isolation must be one of {ISOLATIONS}, got {section.isolation!r}")
    if section.backend == "command":
        missing = [k for k in ("get", "set") if not getattr(section, k)]
        if missing:
            raise ConfigError(f"[app_config] backend = \"command\" needs {' and '.join(missing)} command templates")
        if section.isolation == "dedicated" and not section.target:
            raise ConfigError('[app_config] isolation = "dedicated" needs target = "<a [targets.NAME]>"')
    return section


# ------------------------------------------------------------------------------------ storage
@dataclass(frozen=True)
class KafkaConfig:
    kind_field: str = "kind"
    ts_field: str = "ts"
    kinds: Mapping[str, str] = field(default_factory=dict)   # topic -> kind, for records without one


@dataclass(frozen=True)
class StorageConfig:
    """[storage]: where a remote target's event log is read (the sandbox's is always its own)."""

    events: str | None = None
    kafka: KafkaConfig = KafkaConfig()


def parse_storage(table: Table) -> StorageConfig:
    events = table.get("events")
    kafka = table.table("kafka")
    parsed = KafkaConfig(kind_field=kafka.get("kind_field", default="kind"), ts_field=kafka.get("ts_field", default="ts"),
                         kinds=kafka.get("kinds", "map", {}))
    kafka.close()
    table.close()
    return StorageConfig(events=events, kafka=parsed)


# ------------------------------------------------------------------------------------ health
def parse_health(table: Table) -> HealthSettings:
    section = HealthSettings(lag_command=table.get("lag_command"), max_lag=table.get("max_lag", "int"),
                             timeout=table.get("timeout", "float", 10.0))
    table.close()
    return section


# ------------------------------------------------------------------------------------ diagnostics
def parse_diagnostics(table: Table) -> DiagnosticsSettings:
    commands = []
    for n, item in enumerate(table.tables("commands")):
        command = item.get("command")
        if not command:
            raise ConfigError(f"{item.where}: command is required")
        each = item.get("each", default="test")
        if each not in EACH:
            raise ConfigError(f"{item.where}: each must be one of {EACH}, got {each!r}")
        commands.append(CommandSpec(name=item.get("name") or f"command {n + 1}", command=command, each=each,
                                    timeout=item.get("timeout", "float", 60.0)))
        item.close()
    section = DiagnosticsSettings(commands=tuple(commands), margin=table.get("margin", "float", 5.0),
                                  timezone=table.get("timezone"), sandbox_logs=table.get("sandbox_logs", "bool", True))
    table.close()
    return section


# ------------------------------------------------------------------------------------ load
@dataclass(frozen=True)
class LoadConfig:
    """[load]: defaults of `im-e2e load` (its command-line options win)."""

    sandbox_host: str | None = None   # the address the cells' sandbox listens on and workers dial
    processes: int = 0                # local Locust worker processes per cell (0: the cell's own)
    tokens: str = "password"          # how members get user tokens: "password" grant or "inherit" (app token)
    rest_retries: int = 8             # attempts of a REST call answered 429 (provision, population)


TOKEN_KINDS = ("password", "inherit")


def parse_load(table: Table) -> LoadConfig:
    section = LoadConfig(sandbox_host=table.get("sandbox_host"), processes=table.get("processes", "int", 0),
                         tokens=table.get("tokens", default="password"),
                         rest_retries=table.get("rest_retries", "int", 8))
    table.close()
    if section.tokens not in TOKEN_KINDS:
        raise ConfigError(f"[load] tokens must be one of {', '.join(TOKEN_KINDS)}, got {section.tokens!r}")
    if section.rest_retries < 1:
        raise ConfigError("[load] rest_retries must be at least 1")
    return section


def field_names(cls: type) -> list[str]:
    return [f.name for f in fields(cls)]
