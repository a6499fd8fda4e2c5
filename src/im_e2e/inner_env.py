"""The environment of a pytest run started from another process: exactly the settings it is about.

A nested run (the fault matrix's area runs, the project's meta-tests) must not inherit the caller's
suite settings: `IM_E2E_APP_CONFIG_BACKEND=none pytest selftest` would otherwise change what every
inner run tests. `inner_env()` drops every `IM_E2E_*`, `IM_SANDBOX_*` and `PYTEST_*` variable (xdist
worker ids, PYTEST_ADDOPTS …) and then sets the run's own. Everything else (PATH, PYTHONPATH, HOME)
passes through.
"""
from __future__ import annotations

import os
from collections.abc import Mapping

SETTING_PREFIXES = ("IM_E2E_", "IM_SANDBOX_", "PYTEST_")


def inner_env(own: Mapping[str, str] | None = None, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """`base` (default: this process's environment) without suite and pytest settings, plus `own`."""
    source = os.environ if base is None else base
    env = {key: value for key, value in source.items() if not key.startswith(SETTING_PREFIXES)}
    env.update(own or {})
    return env
