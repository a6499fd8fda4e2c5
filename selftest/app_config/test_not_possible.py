"""Without an app-config backend, tests that need settings are "not possible", each listed with its reason."""
import pytest

from selftest.app_config.test_isolation_proof import CASES, nested_pytest

pytestmark = pytest.mark.selftest

REASON = "app settings cannot be changed on target 'sandbox'"


def test_backend_none_reports_config_tests_as_not_possible(tmp_path):
    done = nested_pytest(tmp_path, "-k", "serial_off or serial_plain", str(CASES),
                         env={"IM_E2E_APP_CONFIG_BACKEND": "none"})
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    summary = done.stdout.strip().splitlines()[-1]
    assert "1 passed" in summary and "1 not possible" in summary and "failed" not in summary
    listed = [line for line in done.stdout.splitlines() if line.startswith("NOT POSSIBLE ")]
    assert len(listed) == 1 and "proof_cases.py::test_serial_off: " + REASON in listed[0]
    assert "{'roaming_enabled': False}" in listed[0]


def test_fail_on_not_possible_turns_them_into_failures(tmp_path):
    done = nested_pytest(tmp_path, "--fail-on-not-possible", "-k", "serial_off", str(CASES),
                         env={"IM_E2E_APP_CONFIG_BACKEND": "none"})
    assert done.returncode == 1  # reported as an error of the test's setup
    assert "1 error" in done.stdout.strip().splitlines()[-1] and REASON in done.stdout
