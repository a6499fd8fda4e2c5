"""report.html: summary per owner and area, trend plots, flaky tests, failures with wire logs;
and it renders in a headless browser without network."""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile

import pytest
from selftest.runner.runner_support import MiniProject, explain

from fixtures.outcomes import not_possible

pytestmark = pytest.mark.selftest

SUITE = '''
import os
import pytest

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]


def test_room_history_is_kept():
    pass


def test_member_sees_broadcast(wire_log):
    wire_log.record("dave-x-1/tcp", "<", "NOTICE queue { name: \\"dave-x-1\\" domain: \\"easemob.com\\" }")
    assert os.environ.get("ROOM_STATE") != "broken", "no broadcast within 5s"
'''

LOGIN = '''
import pytest

pytestmark = [pytest.mark.login, pytest.mark.owner("xinbo")]


def test_login_with_token():
    pass
'''

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """Two runs on one commit; the broadcast test fails in the second: a flaky test."""
    mini = MiniProject(tmp_path_factory.mktemp("report") / "project")
    mini.write("tests/test_rooms.py", SUITE)
    mini.write("tests/test_login.py", LOGIN)
    mini.env["GITHUB_SHA"] = "4f2a9c1"  # the commit of both runs (the project is no git checkout)
    for n, state in enumerate(["ok", "broken"], 1):
        mini.env["ROOM_STATE"] = state
        proc = mini.pytest("--im-report-dir", str(mini.reports / f"r{n}"), "--im-label", "rooms")
        assert proc.returncode == (1 if state == "broken" else 0), explain(proc)
    return mini


def test_report_shows_summary_trends_flaky_tests_and_failures(two_runs):
    page = (two_runs.reports / "r2" / "report.html").read_text()
    summary = page[page.index('<table id="summary">'):page.index("</table>")]
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", summary, re.S)]
    assert rows[1:] == [  # owner | area | passed | failed | not possible | skipped | total
        ["xinbo", "", "1", "0", "0", "0", "1"], ["xinbo", "login", "1", "0", "0", "0", "1"],
        ["yifan", "", "1", "1", "0", "0", "2"], ["yifan", "chatroom", "1", "1", "0", "0", "2"],
        ["all", "", "2", "1", "0", "0", "3"]]
    for plot in ("pass-rate", "duration", "flaky"):
        assert re.search(rf'<img id="plot-{plot}" [^>]*src="data:image/png;base64,[A-Za-z0-9+/=]{{500,}}"', page)
    flaky = page[page.index('<table id="flaky">'):]
    assert "tests/test_rooms.py::test_member_sees_broadcast" in flaky[:flaky.index("</table>")]
    assert "http://" not in page and "https://" not in page  # self-contained

    failures = page[page.index('<div id="failures">'):]
    assert "no broadcast within 5s" in failures
    assert "dave-x-1/tcp &lt; NOTICE queue" in failures  # the wire log, escaped


def test_report_renders_in_headless_chromium(two_runs):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        not_possible("chromium is not installed (apt-get install -y chromium)")
    page = two_runs.reports / "r2" / "report.html"
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        proc = subprocess.run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
                              capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-3000:]
    dom = proc.stdout
    assert '<span class="badge status-failed" id="status">failed</span>' in dom
    assert re.search(r'<table id="summary">.*<td>yifan</td>', dom, re.S)
    assert len(re.findall(r'<img id="plot-[a-z-]+" class="trend-plot"', dom)) == 3
    assert "tests/test_rooms.py::test_member_sees_broadcast" in dom[dom.index('id="failures"'):]
