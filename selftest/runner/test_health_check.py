"""The pre-run health check: an unhealthy target ends the run with one clear message, not a wall of failures."""
from __future__ import annotations

import socket
import subprocess
import sys

import pytest
from selftest.runner.runner_support import ROOT, Receiver, explain

from im_e2e.health import TARGET_UNHEALTHY, HealthSettings, check, parse_lag
from im_e2e.inner_env import inner_env

pytestmark = pytest.mark.selftest

TOKEN = {"access_token": "YWMt-token", "expires_in": 3600, "application": "0b1c"}
LAG_TABLE = ("GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID\\n"
             "msync-channel-outgoing out 0 100 130 30 c1\\n"
             "msync-channel-outgoing out 1 200 200 0 c2\\n"
             "msync-channel-outgoing out 2 - 12 - -\\n")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _info(rest_port: int, tcp_port: int | None = None) -> dict:
    return {"name": "staging", "rest_url": f"http://127.0.0.1:{rest_port}", "ws_url": f"ws://127.0.0.1:{rest_port}/ws",
            "tcp_host": "127.0.0.1", "tcp_port": tcp_port or rest_port, "appkey": "org#app",
            "client_id": "id", "client_secret": "secret"}


@pytest.fixture
def token_server():
    server = Receiver(TOKEN)
    yield server
    server.close()


def test_healthy_target(token_server):
    health = check(_info(token_server.server.server_port))
    assert health.ok, health.message()
    assert [c.name for c in health.checks] == ["REST endpoint", "WebSocket endpoint", "TCP endpoint", "app token"]
    (token_request,) = token_server.at("/org/app/token")
    assert token_request["json"]["grant_type"] == "client_credentials"


def test_unreachable_target_names_what_is_down():
    port = _closed_port()
    health = check(_info(port))
    assert not health.ok
    lines = health.message().splitlines()
    assert lines[0] == "target unhealthy: staging"
    assert lines[1].startswith(f"  FAILED REST endpoint: cannot connect to 127.0.0.1:{port}: ")
    assert lines[-1] == "  FAILED app token: not tried: the REST endpoint is unreachable"


def test_refused_token_and_closed_tcp_port():
    server = Receiver({"error": "invalid_client", "error_description": "invalid client credentials"}, status=401)
    try:
        health = check(_info(server.server.server_port, tcp_port=_closed_port()))
    finally:
        server.close()
    failed = {c.name: c.detail for c in health.checks if not c.ok}
    assert set(failed) == {"TCP endpoint", "app token"}
    assert "invalid client credentials" in failed["app token"]


def test_consumer_lag_over_the_limit(token_server):
    assert parse_lag(LAG_TABLE.replace("\\n", "\n")) == 30
    command = f"printf '{LAG_TABLE}'"
    over = check(_info(token_server.server.server_port), HealthSettings(lag_command=command, max_lag=10))
    assert not over.ok and over.checks[-1].detail == "total lag 30 exceeds max_lag 10"
    under = check(_info(token_server.server.server_port), HealthSettings(lag_command=command, max_lag=100))
    assert under.ok, under.message()
    failing = check(_info(token_server.server.server_port), HealthSettings(lag_command="exit 3"))
    assert failing.checks[-1].detail.startswith("`exit 3` exited 3")


def test_im_e2e_run_stops_before_pytest_on_an_unhealthy_target(tmp_path):
    port = _closed_port()
    (tmp_path / "empty.toml").write_text("")
    env = inner_env(dict(IM_E2E_TARGET="staging", IM_E2E_REST_URL=f"http://127.0.0.1:{port}",
               IM_E2E_WS_URL=f"ws://127.0.0.1:{port}/ws", IM_E2E_TCP_HOST="127.0.0.1", IM_E2E_TCP_PORT=str(port),
               IM_E2E_APPKEY="org#app", IM_E2E_CLIENT_ID="id", IM_E2E_CLIENT_SECRET="secret",
               IM_E2E_CONFIG=str(tmp_path / "empty.toml")))
    proc = subprocess.run([sys.executable, "-m", "im_e2e", "run", "--owner", "yifan", "--reports-dir", str(tmp_path),
                           "--run-id", "down"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == TARGET_UNHEALTHY, explain(proc)
    assert "target unhealthy: staging" in proc.stderr
    assert "im-e2e: target unhealthy, no tests were run" in proc.stderr
    assert "-m pytest" not in proc.stderr                               # pytest never started
    assert not (tmp_path / "down" / "junit.xml").exists()
    assert '"status": "unhealthy"' in (tmp_path / "down" / "results.json").read_text()


def test_health_check_inside_pytest_after_the_target_is_known(mini):
    mini.write("conftest.py", mini.path.joinpath("conftest.py").read_text() + f'''

def pytest_configure(config):
    config.im_target_info = {_info(_closed_port())!r}
''')
    mini.write("tests/test_never.py", "def test_never_runs():\n    raise AssertionError('ran')\n")
    proc = mini.pytest("--im-health-check", "--im-report-dir", str(mini.reports / "h1"))
    assert proc.returncode == TARGET_UNHEALTHY, explain(proc)
    assert "target unhealthy" in proc.stdout + proc.stderr and "ran" not in proc.stdout
    assert mini.results(mini.reports / "h1")["status"] == "unhealthy"
