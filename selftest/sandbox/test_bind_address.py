"""The sandbox listens on loopback unless told otherwise, and says so loudly when told otherwise."""
from __future__ import annotations

import json
import selectors
import signal
import socket
import subprocess
import sys

import pytest
import requests

from im_sandbox import SandboxConfig

pytestmark = pytest.mark.selftest

WARNING = "which is not a loopback address: the sandbox (with its default credentials) is reachable from other machines"


def _start(tmp_path, *args) -> tuple[subprocess.Popen, dict]:
    proc = subprocess.Popen([sys.executable, "-m", "im_sandbox", "--http-port", "0", "--tcp-port", "0",
                             "--data-dir", str(tmp_path), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    if not sel.select(20):
        proc.kill()
        raise AssertionError(f"the sandbox printed nothing: {proc.stderr.read()}")
    return proc, json.loads(proc.stdout.readline())


def _stop(proc: subprocess.Popen) -> str:
    proc.send_signal(signal.SIGTERM)
    try:
        assert proc.wait(15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.stderr.read()


def _outward_address() -> str | None:
    """This machine's address on its default route (no packet is sent), if it has one."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.255", 9))
        address = probe.getsockname()[0]
    except OSError:
        return None
    finally:
        probe.close()
    return None if address.startswith("127.") else address


def _reachable(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=2).close()
        return True
    except OSError:
        return False


def test_default_bind_is_loopback_and_quiet(tmp_path):
    """Without --host the listeners are on 127.0.0.1 only, and no exposure warning is logged."""
    assert SandboxConfig().host == "127.0.0.1"
    proc, info = _start(tmp_path)
    try:
        assert info["tcp_host"] == "127.0.0.1" and info["rest_url"].startswith("http://127.0.0.1:")
        assert requests.get(info["rest_url"] + "/_sandbox/health", timeout=5).status_code == 200
        outward = _outward_address()
        if outward is not None:
            assert not _reachable(outward, info["tcp_port"]), f"TCP port open on {outward}"
    finally:
        stderr = _stop(proc)
    assert "listening" in stderr and WARNING not in stderr


def test_non_loopback_bind_warns_on_stderr(tmp_path):
    """`--host 0.0.0.0` starts, logs the exposure warning on stderr, and clients still dial loopback."""
    proc, info = _start(tmp_path, "--host", "0.0.0.0")
    try:
        assert info["tcp_host"] == "127.0.0.1"
        assert _reachable("127.0.0.1", info["tcp_port"])
    finally:
        stderr = _stop(proc)
    assert f"listening on 0.0.0.0, {WARNING}" in stderr
