"""One typed configuration: environment variables over im-e2e.toml, read once, handed down as sections.

    from im_e2e import config
    cfg = config.load(root, target="staging")     # ConfigError on anything it cannot use
    cfg.target.info(), cfg.suite.transports, cfg.app_config_backend, cfg.health, cfg.schedule.jobs

Every section and key: docs/configuration.md.
"""
from .errors import ConfigError
from .loading import CONFIG_ENV, ENV_KEYS, TARGET_ENV, TARGET_ENV_KEYS, load, load_schedule
from .model import DEFAULT_CONFIG, Config
from .schedule import NOTIFY_WHEN, WEBHOOK_KINDS, Job, ScheduleConfig, Webhook
from .sections import (APP_CONFIG_BACKENDS, ISOLATIONS, METRICS_SOURCES, SANDBOX, TARGET_KEYS, TOKEN_KINDS,
                       AppConfigConfig, KafkaConfig, LoadConfig, MetricsConfig, StorageConfig, SuiteConfig,
                       TargetConfig)
from .table import parse_duration

__all__ = [
    "APP_CONFIG_BACKENDS", "CONFIG_ENV", "DEFAULT_CONFIG", "ENV_KEYS", "ISOLATIONS", "METRICS_SOURCES",
    "TOKEN_KINDS", "MetricsConfig", "NOTIFY_WHEN", "SANDBOX",
    "TARGET_ENV", "TARGET_ENV_KEYS", "TARGET_KEYS", "WEBHOOK_KINDS", "AppConfigConfig", "Config", "ConfigError",
    "Job", "KafkaConfig", "LoadConfig", "ScheduleConfig", "StorageConfig", "SuiteConfig", "TargetConfig",
    "Webhook", "load", "load_schedule", "parse_duration",
]
