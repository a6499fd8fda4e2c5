"""results.json, JUnit and Allure results of a real run, with and without xdist."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from selftest.runner.runner_support import explain

pytestmark = pytest.mark.selftest

SUITE = '''
import pytest
from fixtures.outcomes import not_possible

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]


def test_joins():
    pass


def test_message_reaches_room(wire_log, diagnostic_ids):
    wire_log.record("alice-r1-1/ws", ">",
                    'MSYNC command: SYNC to { name: "4711" domain: "conference.easemob.com" } CHATROOM')
    wire_log.record("rest", ">", "POST /chatrooms/4711/users/bob-r1-2 ")
    wire_log.record("rest", "<", '200 (2 ms) {"data":{"result":true}}')
    diagnostic_ids.users.add("carol-r1-3")
    assert "delivered" == "lost", "the room message never arrived"


def test_needs_app_config():
    not_possible("no app-config backend")


@pytest.mark.skip(reason="later")
def test_later():
    pass


@pytest.mark.xfail(reason="known bug")
def test_known_bug():
    assert False


@pytest.fixture
def broken():
    raise RuntimeError("setup exploded")


def test_setup_error(broken):
    pass
'''

OTHER = '''
import pytest

pytestmark = [pytest.mark.chat, pytest.mark.mute, pytest.mark.owner("caixiangyue")]


@pytest.mark.parametrize("transport", ["tcp", "ws"])
def test_muted_user_cannot_send(transport):
    pass


def test_muted_user_still_receives():
    pass
'''


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["inline", "xdist"])
def test_run_writes_results_junit_and_allure(mini, workers):
    mini.write("tests/test_room.py", SUITE)
    mini.write("tests/test_mute.py", OTHER)
    run_dir = mini.reports / "r1"
    proc = mini.pytest(*workers, "--im-report-dir", str(run_dir), "--junitxml", str(run_dir / "junit.xml"),
                       "--alluredir", str(run_dir / "allure-results"), "--im-label", "rooms", "--im-progress", "0")
    assert proc.returncode == 1, explain(proc)

    results = mini.results(run_dir)
    tests = {t["nodeid"].split("::")[1]: t for t in results["tests"]}
    assert results["status"] == "failed" and results["label"] == "rooms" and results["run_id"] == "r1"
    assert results["counts"] == {"passed": 4, "failed": 2, "rule_differs": 0, "not_possible": 1, "skipped": 2, "total": 9}
    assert {n: t["outcome"] for n, t in tests.items() if "[" not in n} == {
        "test_joins": "passed", "test_message_reaches_room": "failed", "test_needs_app_config": "not_possible",
        "test_later": "skipped", "test_known_bug": "xfailed", "test_setup_error": "error",
        "test_muted_user_still_receives": "passed"}
    assert tests["test_needs_app_config"]["message"] == "no app-config backend"
    assert (tests["test_joins"]["owner"], tests["test_joins"]["areas"]) == ("yifan", ["chatroom"])
    assert tests["test_muted_user_cannot_send[ws]"]["areas"] == ["chat", "mute"]

    # the failure carries its wire log and the ids it touched, whichever process ran it
    failed = tests["test_message_reaches_room"]
    assert "the room message never arrived" in failed["message"]
    assert "alice-r1-1/ws > MSYNC command: SYNC" in failed["wire_log"]
    assert "rest < 200 (2 ms)" in failed["wire_log"]
    assert failed["ids"] == {"users": ["alice-r1-1", "bob-r1-2", "carol-r1-3"], "rooms": ["4711"]}
    assert tests["test_setup_error"]["when"] == "setup" and "setup exploded" in tests["test_setup_error"]["message"]
    if workers:
        assert results["workers"] == 2 and {t["worker"] for t in results["tests"]} == {"gw0", "gw1"}
    assert re.search(r"-{5,} wire log -{5,}", proc.stdout), explain(proc)  # shown with the failure, too
    assert "[im-e2e] 9/9 (100%): 4 passed, 2 failed, 1 not possible, 2 skipped;" in proc.stdout  # progress

    # JUnit: the owner is a property of each testcase
    junit = ET.parse(run_dir / "junit.xml").getroot()
    case = next(c for c in junit.iter("testcase") if c.get("name") == "test_joins")
    assert {p.get("name"): p.get("value") for p in case.iter("property")}["owner"] == "yifan"

    # Allure: the wire log is attached to the failed test's result
    allure_results = [json.loads(p.read_text()) for p in (run_dir / "allure-results").glob("*-result.json")]
    failed_allure = next(r for r in allure_results if r["name"] == "test_message_reaches_room")
    attachment = next(a for a in failed_allure["attachments"] if a["name"] == "wire log")
    assert "alice-r1-1/ws" in (run_dir / "allure-results" / attachment["source"]).read_text()
    assert (run_dir / "report.html").is_file()
    assert (mini.reports / "history.sqlite").is_file()
