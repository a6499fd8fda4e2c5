"""`im-e2e issue`: one issue per failing suite, opened once and commented on after that."""
from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from im_e2e import cli
from im_e2e.reports import results
from im_e2e.reports.results import RunResults, TestResult

pytestmark = pytest.mark.selftest


class Forge:
    """Just enough of the GitHub and GitLab issue APIs: list open issues, create one, comment on one."""

    def __init__(self) -> None:
        self.issues: list[dict] = []
        self.comments: dict[int, list[str]] = {}
        self.auth: list[str] = []
        forge = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status: int, body) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                forge.auth.append(self.headers.get("Authorization") or self.headers.get("PRIVATE-TOKEN"))
                self._answer(200, [i for i in forge.issues if i["state"] in ("open", "opened")])

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                path = self.path.split("?")[0]
                if re.fullmatch(r"/(repos/o/r|projects/42)/issues", path):
                    number = len(forge.issues) + 1
                    forge.issues.append({"number": number, "iid": number, "title": body["title"], "state": "open",
                                         "labels": body["labels"]})
                    return self._answer(201, forge.issues[-1])
                match = re.fullmatch(r"/(?:repos/o/r|projects/42)/issues/(\d+)/(?:comments|notes)", path)
                if match:
                    forge.comments.setdefault(int(match.group(1)), []).append(body["body"])
                    return self._answer(201, {"id": 1})
                self._answer(404, {"message": "Not Found"})

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()


@pytest.fixture
def forge():
    server = Forge()
    yield server
    server.server.shutdown()
    server.server.server_close()


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
