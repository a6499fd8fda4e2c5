"""`im-e2e issue`: one issue per failing suite, opened once and commented on after that."""
from __future__ import annotations

import pytest

from im_e2e import cli
from im_e2e.reports import results
from im_e2e.reports.results import RunResults, TestResult

pytestmark = pytest.mark.selftest


def _failed_run(reports, run_id: str) -> None:
    run = RunResults(run_id=run_id, label="chatroom-hourly", status="failed", exit_status=1, target="staging",
                     tests=[TestResult("tests/chatroom/test_a.py::test_b[ws]", outcome="failed", category="failed",
                                       owner="yifan", message="AssertionError: lost")])
    results.write(run, reports / run_id)


@pytest.mark.parametrize("kind", ["github", "gitlab"])
def test_first_failure_opens_an_issue_later_ones_comment(forge, tmp_path, monkeypatch, capsys, kind):
    if kind == "github":
        env = {"GITHUB_API_URL": forge.url, "GITHUB_TOKEN": "ghs_x", "GITHUB_REPOSITORY": "o/r", "GITHUB_RUN_ID": "7"}
    else:
        env = {"CI_API_V4_URL": forge.url, "IM_E2E_GITLAB_TOKEN": "glpat-x", "CI_PROJECT_ID": "42",
               "CI_PIPELINE_URL": "https://gitlab.example.com/p/-/pipelines/7"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    _failed_run(tmp_path, "r1")
    assert cli.main(["issue", "--forge", kind, "--reports-dir", str(tmp_path)]) == 0
    _failed_run(tmp_path, "r2")
    assert cli.main(["issue", "r2", "--forge", kind, "--reports-dir", str(tmp_path)]) == 0

    (issue,) = forge.issues
    assert issue["title"] == "im-e2e: chatroom-hourly failing on staging"
    assert issue["labels"] in (["im-e2e"], "im-e2e")
    (comment,) = forge.comments[issue["number"]]
    assert "`tests/chatroom/test_a.py::test_b[ws] (yifan): AssertionError: lost`" in comment
    assert "/pipelines/7" in comment or "/actions/runs/7" in comment
    assert forge.auth == (["Bearer ghs_x"] * 2 if kind == "github" else ["glpat-x"] * 2)
    out = capsys.readouterr().out
    assert "opened issue #1" in out and "commented issue #1" in out
