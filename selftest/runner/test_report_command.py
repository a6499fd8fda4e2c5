"""`im-e2e run` writes reports/<run-id>/; `im-e2e report` rebuilds them from stored results."""
from __future__ import annotations

import shutil

import pytest
from selftest.runner.runner_support import explain

from fixtures.outcomes import not_possible

pytestmark = pytest.mark.selftest

SUITE = '''
import pytest

pytestmark = [pytest.mark.group, pytest.mark.owner("jiahao")]


def test_group_created():
    pass


def test_thread_reply(wire_log):
    wire_log.record("rest", ">", "POST /chatgroups/990011/users/erin-z-1 ")
    assert False, "reply missing"
'''


def test_run_writes_every_report_and_report_rebuilds_them(mini, tmp_path):
    mini.write("tests/test_groups.py", SUITE)
    mini.reports = tmp_path / "elsewhere"  # reports outside the checkout, as on a CI runner
    proc = mini.im_e2e("run", "--owner", "jiahao", "--progress", "-1", "--reports-dir", str(mini.reports))
    assert proc.returncode == 1, explain(proc)
    (run_dir,) = mini.run_dirs()
    assert run_dir.name.endswith("-owner-jiahao")
    assert {p.name for p in run_dir.iterdir()} >= {"junit.xml", "allure-results", "results.json", "report.html"}
    assert "allure: command line not found" in proc.stderr          # noted, not a failure
    assert mini.results(run_dir)["label"] == "owner jiahao"

    (run_dir / "report.html").unlink()
    proc = mini.im_e2e("report", "--no-allure", "--reports-dir", str(mini.reports))  # the latest run
    assert proc.returncode == 0, explain(proc)
    assert proc.stdout.strip() == str(run_dir / "report.html")
    assert "reply missing" in (run_dir / "report.html").read_text()

    second = mini.reports / "copy"
    shutil.copytree(run_dir, second)
    proc = mini.im_e2e("report", "--all", "--no-allure", "--reports-dir", str(mini.reports))
    assert proc.stdout.split() == [str(run_dir / "report.html"), str(second / "report.html")], explain(proc)
    assert mini.im_e2e("report", "nope", "--reports-dir", str(mini.reports)).returncode == 4


def test_report_builds_allure_html_when_the_command_line_is_there(mini):
    allure = shutil.which("allure")
    if allure is None:
        not_possible("the allure command line is not installed (npm install -g allure-commandline; needs Java)")
    mini.write("tests/test_groups.py", SUITE)
    run_dir = mini.reports / "a1"
    proc = mini.pytest("--im-report-dir", str(run_dir), "--alluredir", str(run_dir / "allure-results"))
    assert proc.returncode == 1, explain(proc)
    mini.env["IM_E2E_ALLURE"] = allure
    proc = mini.im_e2e("report", "a1", timeout=180)
    assert proc.returncode == 0, explain(proc)
    assert (run_dir / "allure-report" / "index.html").is_file()
    assert str(run_dir / "allure-report" / "index.html") in proc.stdout
