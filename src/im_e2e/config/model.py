"""The whole configuration of a run: one frozen object, read once, handed down as typed sections."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from ..diagnostics import Settings as DiagnosticsSettings
from ..health import HealthSettings
from .errors import ConfigError
from .schedule import ScheduleConfig
from .sections import SANDBOX, AppConfigConfig, LoadConfig, StorageConfig, SuiteConfig, TargetConfig

DEFAULT_CONFIG = "im-e2e.toml"


@dataclass(frozen=True)
class Config:
    target: TargetConfig = TargetConfig()                   # the run's target, environment applied
    targets: Mapping[str, TargetConfig] = field(default_factory=dict)   # [targets.NAME] as written
    suite: SuiteConfig = SuiteConfig()
    app_config: AppConfigConfig = AppConfigConfig()
    storage: StorageConfig = StorageConfig()
    health: HealthSettings = HealthSettings()
    diagnostics: DiagnosticsSettings = DiagnosticsSettings()
    schedule: ScheduleConfig = ScheduleConfig()
    load: LoadConfig = LoadConfig()
    path: Path | None = None                                # the file read; None: defaults only

    @property
    def file_name(self) -> str:
        return self.path.name if self.path is not None else DEFAULT_CONFIG

    @property
    def uses_sandbox(self) -> bool:
        return self.target.is_sandbox

    @property
    def app_config_backend(self) -> str:
        return self.app_config.backend_for(self.target)

    def target_named(self, name: str) -> TargetConfig:
        """The run's target (with the environment applied), the sandbox, or a complete [targets.NAME]."""
        if name == self.target.name:
            return self.target
        if name == SANDBOX:
            return TargetConfig()
        if name not in self.targets:
            raise ConfigError(f"no target {name!r}: add [targets.{name}] to {self.file_name} "
                              f"(configured: {', '.join(sorted(self.targets)) or 'none'})")
        return self.targets[name].checked(self.file_name)
