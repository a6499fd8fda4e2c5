"""How `im-e2e faults` reads an area run and prints the matrix (the runs themselves: docs/faults.md)."""
import json

import pytest

from im_e2e import faults
from im_e2e.cli import main

pytestmark = pytest.mark.selftest

JUNIT = """<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest">
<testcase classname="tests.recall.test_recall" name="test_a[tcp]"/>
<testcase classname="tests.recall.test_recall" name="test_b[ws]"><failure message="x"/></testcase>
<testcase classname="tests.group.test_threads.TestThreads" name="test_c"><error message="y"/></testcase>
<testcase classname="tests.recall.test_recall" name="test_d"><skipped/></testcase>
</testsuite></testsuites>"""


def test_junit_failures_become_test_ids(tmp_path):
    """Failed and errored test cases are named by node id; skipped ones count as neither."""
    path = tmp_path / "junit.xml"
    path.write_text(JUNIT)
    failed, passed = faults.read_junit(path)
    assert failed == ["tests/group/test_threads.py::TestThreads::test_c", "tests/recall/test_recall.py::test_b[ws]"]
    assert passed == 1


def test_matrix_names_survivors_and_scores():
    """The matrix shows who caught each fault, the survivors, and the score."""
    results = [faults.FaultResult("recall_ignored", "recall", "d", caught_by=["tests/recall/test_recall.py::t"]),
               faults.FaultResult("mute_ignored", "mute", "d", passed=26),
               faults.FaultResult("kick_not_sent", "login", "d", error="pytest exit 4")]
    text = faults.format_matrix(results)
    assert "caught   recall_ignored" in text and "1 caught it: tests/recall/test_recall.py::t" in text
    assert "SURVIVED mute_ignored" in text and "ERROR    kick_not_sent" in text
    assert "score: 1/3 faults caught (33 %)" in text and "not caught: mute_ignored, kick_not_sent" in text
    assert json.loads(faults.to_json(results))["score"] == {"caught": 1, "total": 3}


def test_area_runs_exclude_slow_and_meta_tests():
    """An area run leaves out pressure, interop and the fault meta-tests themselves."""
    assert faults.marker_expression("chat") == "chat and not load and not interop and not faults"


def test_cli_lists_faults(capsys):
    """`im-e2e faults --list` prints every fault with its area."""
    assert main(["faults", "--list"]) == 0
    out = capsys.readouterr().out
    assert "recall_ignored" in out and "chatroom" in out


def test_cli_refuses_unknown_fault(capsys):
    """An unknown --fault name is a usage error, before anything runs."""
    assert main(["faults", "--fault", "no_such_fault"]) == 4
    assert "unknown fault" in capsys.readouterr().err
