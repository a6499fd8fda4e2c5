"""Support for the runner's tests.

MiniProject: a throwaway pytest project that loads the suite's own report plugins (fixtures/reports.py,
outcomes, owners) but no target, so its runs are real pytest runs that need no sandbox. Each run is a
subprocess, like the ones `im-e2e run` makes. Receiver: a local HTTP endpoint standing in for a webhook."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


from im_e2e.owners import area_owner

ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT = 90

CONFTEST = '''
import pytest
from im_client import WireLog

pytest_plugins = ["fixtures.outcomes", "fixtures.owners", "fixtures.reports"]


@pytest.fixture
def wire_log():
    return WireLog()
'''


def _ini() -> str:
    markers = ["owner(name): owner", "transport(name): transport", "selftest: selftest"]
    markers += [f"{area}: area" for area in sorted(area_owner())]
    # plugins this project does not use stay out: every run starts in about a second
    return ("[pytest]\naddopts = --strict-markers -p no:cacheprovider -p no:hypothesispytest -p no:faker\n"
            "markers =\n" + "".join(f"    {m}\n" for m in markers))


class MiniProject:
    def __init__(self, path: Path):
        self.path = path
        self.reports = path / "reports"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "IM_E2E_"))}
        self.env.update(PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "src")]), PYTHONDONTWRITEBYTECODE="1", IM_E2E_ALLURE="off")
        self.write("conftest.py", CONFTEST)
        self.write("pytest.ini", _ini())

    def write(self, relpath: str, text: str) -> Path:
        target = self.path / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip())
        return target

    def _run(self, cmd: list[str], timeout: float) -> subprocess.CompletedProcess:
        return subprocess.run(cmd, cwd=self.path, env=self.env, capture_output=True, text=True, timeout=timeout)

    def pytest(self, *args: str, timeout: float = RUN_TIMEOUT) -> subprocess.CompletedProcess:
        return self._run([sys.executable, "-m", "pytest", *args], timeout)

    def im_e2e(self, *args: str, timeout: float = RUN_TIMEOUT) -> subprocess.CompletedProcess:
        return self._run([sys.executable, "-m", "im_e2e", *args], timeout)

    def popen_im_e2e(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "im_e2e", *args], cwd=self.path, env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def results(self, run_dir: Path) -> dict:
        return json.loads((run_dir / "results.json").read_text())

    def run_dirs(self) -> list[Path]:
        return sorted(p for p in self.reports.iterdir() if p.is_dir())


def explain(proc: subprocess.CompletedProcess) -> str:
    return f"exit {proc.returncode}\n--- stdout\n{proc.stdout[-6000:]}\n--- stderr\n{proc.stderr[-6000:]}"


class Receiver:
    """A local HTTP endpoint that records what is POSTed to it (a stand-in for a chat webhook)."""

    def __init__(self, answer: dict | None = None, status: int = 200):
        self.requests: list[dict] = []
        self.got_one = threading.Condition()
        answer_body = json.dumps(answer or {"ok": True}).encode()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with outer.got_one:
                    outer.requests.append({"path": self.path, "headers": dict(self.headers),
                                           "json": json.loads(body or b"null")})
                    outer.got_one.notify_all()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer_body)))
                self.end_headers()
                self.wfile.write(answer_body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()

    def at(self, path: str) -> list[dict]:
        return [r for r in self.requests if r["path"].split("?")[0] == path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

