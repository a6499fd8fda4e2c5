"""Nested pytest runs get exactly their own settings, none of the caller's."""
import pytest

from im_e2e.inner_env import inner_env

pytestmark = [pytest.mark.selftest]


def test_caller_settings_are_dropped_and_the_runs_own_set():
    """IM_E2E_*, IM_SANDBOX_* and PYTEST_* of the caller vanish; the rest passes; own values win."""
    caller = {"IM_E2E_APP_CONFIG_BACKEND": "none", "IM_SANDBOX_FAULTS": "recall_ignored",
              "PYTEST_XDIST_WORKER": "gw1", "PYTEST_ADDOPTS": "-x", "PATH": "/bin", "PYTHONPATH": "/src"}
    env = inner_env({"IM_E2E_CONFIG": "/tmp/own.toml"}, base=caller)
    assert env == {"PATH": "/bin", "PYTHONPATH": "/src", "IM_E2E_CONFIG": "/tmp/own.toml"}
