"""The history store: runs for trends, flaky = failed and passed on the same commit."""
from __future__ import annotations

import pytest

from im_e2e.reports.history import History
from im_e2e.reports.results import RunResults, TestResult

pytestmark = pytest.mark.selftest


def _run(run_id: str, commit: str, started: float, outcomes: dict[str, str], label: str = "hourly") -> RunResults:
    tests = [TestResult(nodeid, outcome=category, category=category, owner="yifan", duration=1.0)
             for nodeid, category in outcomes.items()]
    return RunResults(run_id=run_id, label=label, commit=commit, target="staging", started=started,
                      finished=started + 60, status="failed" if "failed" in outcomes.values() else "passed",
                      tests=tests)


def test_flaky_means_failed_and_passed_on_the_same_commit(tmp_path):
    history = History(tmp_path / "history.sqlite")
    history.record(_run("r1", "aaa", 100, {"t::flips": "passed", "t::broken": "failed", "t::fine": "passed"}))
    history.record(_run("r2", "aaa", 200, {"t::flips": "failed", "t::broken": "failed", "t::fine": "passed"}))
    # on a new commit a fix is no flake: t::broken failed on aaa and passes on bbb
    history.record(_run("r3", "bbb", 300, {"t::flips": "passed", "t::broken": "passed", "t::fine": "passed"}))

    flaky = history.flaky()
    assert [(f.nodeid, f.commits, f.failures, f.passes) for f in flaky] == [("t::flips", 1, 1, 1)]
    assert history.flaky_in_runs(["r1", "r2", "r3"]) == {"r1": 1, "r2": 1, "r3": 0}


def test_recording_a_run_again_replaces_it(tmp_path):
    history = History(tmp_path / "history.sqlite")
    history.record(_run("r1", "aaa", 100, {"t::a": "failed"}))
    history.record(_run("r1", "aaa", 100, {"t::a": "passed", "t::b": "passed"}))
    (row,) = history.runs()
    assert (row.run_id, row.passed, row.failed, row.total, row.pass_rate) == ("r1", 2, 0, 2, 1.0)


def test_runs_are_oldest_first_and_filter_by_label(tmp_path):
    history = History(tmp_path / "history.sqlite")
    for n in range(5):
        history.record(_run(f"r{n}", "aaa", 100 + n, {"t::a": "passed"}, label="hourly" if n % 2 else "nightly"))
    assert [r.run_id for r in history.runs(limit=3)] == ["r2", "r3", "r4"]
    assert [r.run_id for r in history.runs(label="hourly")] == ["r1", "r3"]
    assert [r.run_id for r in history.runs(until=102)] == ["r0", "r1", "r2"]
