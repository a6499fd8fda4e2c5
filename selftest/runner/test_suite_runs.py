"""The speed and flake scripts' runner: every test's outcome from a real pytest run, also under xdist."""
from __future__ import annotations

import textwrap

import pytest

from im_e2e.inner_env import inner_env
from im_e2e.suite_runs import failure_table, run_suite

pytestmark = pytest.mark.selftest

CASES = '''
import os, pathlib, pytest

def test_passes():
    pass

def test_fails():
    assert False

def test_not_possible():
    pytest.skip("not possible on this target: no Redis")

def test_fails_every_other_run():
    counter = pathlib.Path(os.environ["COUNTER"])
    runs = int(counter.read_text()) if counter.exists() else 0
    counter.write_text(str(runs + 1))
    assert runs % 2 == 0
'''


@pytest.fixture
def project(tmp_path):
    # plugins these cases do not use stay out: each run starts in about a second
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = -p no:hypothesispytest -p no:faker -p no:locust\n")
    (tmp_path / "test_cases.py").write_text(textwrap.dedent(CASES))
    return tmp_path


def env_for(project) -> dict:
    return inner_env({"COUNTER": str(project / "counter")})


@pytest.mark.parametrize("workers", ["0", "2"])
def test_each_test_has_its_outcome_and_seconds(project, workers):
    """Passed, failed and not possible tests are told apart, with xdist workers or without."""
    run = run_suite(["test_cases.py"], workers, cwd=project, env=env_for(project), timeout=120)
    assert run.returncode == 1, run.output_tail
    outcomes = {test.split("::")[-1]: result.outcome for test, result in run.tests.items()}
    assert outcomes == {"test_passes": "passed", "test_fails": "failed", "test_not_possible": "not possible",
                        "test_fails_every_other_run": "passed"}
    assert all(result.seconds >= 0 for result in run.tests.values())
    assert len(run.slowest(2)) == 2 and "2 passed, 1 failed, 1 not possible" in run.summary()


def test_the_failure_table_tells_flaky_from_broken(project):
    """Two runs: the always failing test is broken, the one failing every other run is flaky."""
    runs = [run_suite(["test_cases.py"], "0", cwd=project, env=env_for(project), timeout=120) for _ in range(2)]
    rows = failure_table(runs)
    assert len(rows) == 2, rows
    broken, flaky = sorted(rows, key=lambda row: "every_other" in row)
    assert broken.split()[:3] == ["2/2", "broken", "FF"] and broken.endswith("test_cases.py::test_fails")
    assert flaky.split()[:3] == ["1/2", "flaky", ".F"] and flaky.endswith("::test_fails_every_other_run")
