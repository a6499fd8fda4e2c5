"""The configuration in a real pytest run of the suite: a remote target never loads the sandbox, and a
configuration the run cannot use stops it before the first test, naming the key."""
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.selftest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 180

# loaded with -p: what the run imported, once the run is over
PROBE = '''
import json, sys

def pytest_unconfigure(config):
    loaded = sorted(m for m in sys.modules if m == "im_sandbox" or m.startswith("im_sandbox."))
    print("IM_SANDBOX_MODULES " + json.dumps(loaded))
'''


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def inner_pytest(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """pytest on the suite in a child process, with only the IM_E2E_* variables given here."""
    (tmp_path / "im_e2e_probe.py").write_text(PROBE)
    full = {k: v for k, v in os.environ.items() if not k.startswith(("IM_E2E_", "PYTEST_"))}
    full["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))
    empty = tmp_path / "empty.toml"  # not the checkout's own im-e2e.toml, whatever it says
    empty.write_text("")
    full.update({"IM_E2E_CONFIG": str(empty), **env})
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "im_e2e_probe",
                           "--rootdir", str(ROOT), *args], cwd=ROOT, env=full, capture_output=True, text=True,
                          timeout=TIMEOUT)


def loaded_sandbox_modules(done: subprocess.CompletedProcess) -> list[str]:
    lines = [line for line in done.stdout.splitlines() if line.startswith("IM_SANDBOX_MODULES ")]
    assert lines, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads(lines[-1].split(" ", 1)[1])


def remote_env() -> dict[str, str]:
    http, tcp = unused_port(), unused_port()  # nobody listens there: nothing may try
    return {"IM_E2E_TARGET": "remote", "IM_E2E_REST_URL": f"http://127.0.0.1:{http}",
            "IM_E2E_WS_URL": f"ws://127.0.0.1:{http}/websocket", "IM_E2E_TCP_HOST": "127.0.0.1",
            "IM_E2E_TCP_PORT": str(tcp), "IM_E2E_APPKEY": "remote#app", "IM_E2E_CLIENT_ID": "id",
            "IM_E2E_CLIENT_SECRET": "secret"}


def test_a_run_against_a_remote_target_never_imports_the_sandbox(tmp_path):
    """Collecting the whole suite for a configured remote target loads no im_sandbox module."""
    done = inner_pytest(tmp_path, remote_env(), "--collect-only", "-q", "tests")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "tests collected" in done.stdout
    assert loaded_sandbox_modules(done) == []


def test_the_probe_sees_the_sandbox_when_the_run_uses_it(tmp_path):
    """The same probe on a sandbox run lists the sandbox: the empty list above means something."""
    done = inner_pytest(tmp_path, {}, "--collect-only", "-q", "tests/login/test_login.py")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "im_sandbox" in loaded_sandbox_modules(done)


def test_an_unusable_configuration_stops_the_run_naming_the_key(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[suite]\ntransports = ["tcp"]\ncleanup = false\n')
    done = inner_pytest(tmp_path, {"IM_E2E_CONFIG": str(bad)}, "--collect-only", "-q", "tests/login")
    assert done.returncode == 4, done.stdout[-3000:] + done.stderr[-3000:]
    assert "unknown key in [suite]: cleanup" in done.stderr
    missing = tmp_path / "missing.toml"
    done = inner_pytest(tmp_path, {"IM_E2E_CONFIG": str(missing)}, "--collect-only", "-q", "tests/login")
    assert done.returncode == 4 and f"IM_E2E_CONFIG={missing}: no such file" in done.stderr
