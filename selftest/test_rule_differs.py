"""The fourth outcome end to end: a sandbox reached as a remote target, one chosen rule flipped.

The sandbox runs in its own process with two faults: `wrong_password_reason` answers a wrong password
with another reason than the chosen "Sorry, token or password does not match login info" (the
chosen rule wrong-credentials-reason differs, as it might on a real cluster), and `recall_ignored`
breaks something documented (recall-removes-everywhere). The suite reaches it only through
IM_E2E_* variables. The tests resting on the flipped rule report "rule differs", the regression
stays a failure; `--strict-rules` fails both; `im-e2e rules` tells the rules apart.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from im_e2e.sandbox_process import SandboxProcess

pytestmark = pytest.mark.selftest

ROOT = Path(__file__).resolve().parents[1]
FLIPPED = "tests/login/test_login_errors.py"
REGRESSION = "tests/recall/test_recall.py::test_recalled_message_leaves_both_histories"
WRONG_PASSWORD = "tests/login/test_login_errors.py::test_wrong_password_is_refused"
TIMEOUT = 180


@pytest.fixture(scope="module")
def flipped_target():
    with SandboxProcess("--faults", "wrong_password_reason,recall_ignored") as sandbox:
        yield sandbox.info


def _env(info: dict | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "IM_E2E_"))}
    env.update(PYTHONPATH=str(ROOT / "src"), PYTHONDONTWRITEBYTECODE="1", IM_E2E_ALLURE="off",
               IM_E2E_TRANSPORTS="tcp,ws")
    env["IM_E2E_TARGET"] = "sandbox" if info is None else "flipped"
    if info is not None:
        for key in ("rest_url", "ws_url", "tcp_host", "tcp_port", "appkey", "client_id", "client_secret"):
            env[f"IM_E2E_{key.upper()}"] = str(info[key])
    return env


def _run(args: list[str], info: dict | None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=_env(info), capture_output=True, text=True,
                          timeout=TIMEOUT)


def _explain(proc: subprocess.CompletedProcess) -> str:
    return f"exit {proc.returncode}\n--- stdout\n{proc.stdout[-5000:]}\n--- stderr\n{proc.stderr[-3000:]}"


def test_a_flipped_chosen_rule_is_rule_differs_and_a_regression_stays_a_failure(flipped_target, tmp_path):
    proc = _run(["-m", "im_e2e", "rules", "--reports-dir", str(tmp_path), "--run-id", "flipped", "-n", "2", "--",
                 "-p", "no:cacheprovider", FLIPPED, REGRESSION], flipped_target)
    assert proc.returncode == 1, _explain(proc)  # the regression fails the run, the differing rule does not
    assert "2 failed, 10 passed, 2 rule differs" in proc.stdout, _explain(proc)
    assert f"RULE DIFFERS {WRONG_PASSWORD}[tcp]: wrong-credentials-reason: " in proc.stdout

    run_dir = tmp_path / "flipped"
    results = json.loads((run_dir / "results.json").read_text())
    by_category: dict[str, set[str]] = {}
    for test in results["tests"]:
        by_category.setdefault(test["category"], set()).add(test["nodeid"])
    assert by_category["rule_differs"] == {f"{WRONG_PASSWORD}[tcp]", f"{WRONG_PASSWORD}[ws]"}
    assert by_category["failed"] == {f"{REGRESSION}[tcp]", f"{REGRESSION}[ws]"}
    assert results["counts"]["rule_differs"] == 2 and results["counts"]["failed"] == 2
    differs = next(t for t in results["tests"] if t["category"] == "rule_differs")
    assert differs["rules_differ"] == ["wrong-credentials-reason"] and "invalid password" in differs["message"]
    assert "invalid password" in differs["longrepr"]  # the whole failure travels with it, and its wire log
    assert "invalid password" in differs["wire_log"]

    junit = (run_dir / "junit.xml").read_text()
    assert '<property name="rule_differs" value="wrong-credentials-reason" />' in junit
    assert 'message="rule differs: wrong-credentials-reason: ' in junit
    assert "Rule differs on this target (2)" in (run_dir / "report.html").read_text()

    table = json.loads((run_dir / "rules.json").read_text())
    verdicts = {r["id"]: r for r in table["rules"]}
    assert verdicts["wrong-credentials-reason"]["verdict"] == "contradicted"
    assert "invalid password" in verdicts["wrong-credentials-reason"]["observed"][0]
    assert verdicts["recall-removes-everywhere"]["verdict"] == "contradicted"
    for confirmed in ("unknown-user-login-reason", "deactivated-login-unauthorized"):
        assert verdicts[confirmed]["verdict"] == "confirmed"
    assert verdicts["new-device-backlog"]["verdict"] == "not exercised"
    assert re.search(r"^wrong-credentials-reason +chosen +contradicted +6/8 +AssertionError: .*'invalid password'",
                     proc.stdout, flags=re.M), proc.stdout[-3000:]


def test_strict_rules_turns_rule_differs_back_into_failures(flipped_target):
    proc = _run(["-m", "pytest", "-p", "no:cacheprovider", "--strict-rules", WRONG_PASSWORD], flipped_target)
    assert proc.returncode == 1 and "2 failed" in proc.stdout and "rule differs" not in proc.stdout, _explain(proc)


def test_on_the_sandbox_every_rule_of_the_tests_is_confirmed(tmp_path):
    proc = _run(["-m", "im_e2e", "rules", "--reports-dir", str(tmp_path), "--run-id", "sandbox", "--",
                 "-p", "no:cacheprovider", FLIPPED], None)
    assert proc.returncode == 0, _explain(proc)
    table = json.loads((tmp_path / "sandbox" / "rules.json").read_text())
    ran = [r for r in table["rules"] if r["tests"]]
    assert {r["id"] for r in ran} == {"wrong-credentials-reason", "unknown-user-login-reason",
                                      "deactivated-login-unauthorized"}
    assert all(r["verdict"] == "confirmed" for r in ran), ran
    assert "3 confirmed, 0 contradicted" in proc.stdout


def test_allure_results_carry_the_rule_labels(flipped_target, tmp_path):
    proc = _run(["-m", "pytest", "-p", "no:cacheprovider", f"--alluredir={tmp_path}", WRONG_PASSWORD], flipped_target)
    assert proc.returncode == 0 and "2 rule differs" in proc.stdout, _explain(proc)
    results = [json.loads(p.read_text()) for p in tmp_path.glob("*-result.json")]
    assert len(results) == 2 and {r["status"] for r in results} == {"skipped"}
    for result in results:
        labels = {(label["name"], label["value"]) for label in result["labels"]}
        assert {("rule", "wrong-credentials-reason"), ("rule_differs", "wrong-credentials-reason"),
                ("tag", "rule differs")} <= labels


def test_an_unknown_rule_id_fails_collection_with_a_hint(tmp_path):
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["fixtures.rules"]\n')
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = --strict-markers -p no:cacheprovider\n"
                                         "markers =\n    rule(*ids): rules\n")
    (tmp_path / "test_x.py").write_text('import pytest\n\n\n@pytest.mark.rule("new-device-backlogs")\n'
                                        'def test_x():\n    pass\n')
    env = {**_env(None), "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")])}
    proc = subprocess.run([sys.executable, "-m", "pytest", "test_x.py"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 4, _explain(proc)
    assert ("test_x.py::test_x: unknown rule 'new-device-backlogs' (did you mean 'new-device-backlog'?)"
            in proc.stderr), _explain(proc)


def test_observed_values_travel_as_a_user_property(tmp_path):
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["fixtures.rules"]\n')
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = --strict-markers -p no:cacheprovider\n"
                                         "markers =\n    rule(*ids): rules\n")
    (tmp_path / "test_x.py").write_text('import pytest\nfrom fixtures.rules import observed\n\n\n'
                                        '@pytest.mark.rule("recall-of-others")\ndef test_x():\n'
                                        '    observed("recall-of-others", "Sorry, You do not have permission")\n')
    env = {**_env(None), "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")])}
    proc = subprocess.run([sys.executable, "-m", "pytest", "--junitxml=j.xml", "test_x.py"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 0, _explain(proc)
    junit = (tmp_path / "j.xml").read_text()
    assert '<property name="rules" value="recall-of-others" />' in junit
    assert '<property name="rule_observed" value="recall-of-others=Sorry, You do not have permission" />' in junit
