"""Starting and stopping: the CLI's JSON line and signals, restart on the same data dir, event log."""
from __future__ import annotations

import json
import selectors
import signal
import subprocess
import sys

import pytest
import requests

from selftest.sandbox.sandbox_rest import Rest
from selftest.sandbox.sandbox_wire import CLIENTS, start_sandbox

pytestmark = pytest.mark.selftest

PW = "pw-123"
INFO_KEYS = {"rest_url", "ws_url", "tcp_host", "tcp_port", "appkey", "org", "app", "client_id", "client_secret",
             "data_dir", "pid", "event_source"}


def _read_line(proc: subprocess.Popen, timeout: float = 20.0) -> str:
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    assert sel.select(timeout), "the sandbox printed nothing"
    return proc.stdout.readline()


def _run_cli(tmp_path, *args):
    return subprocess.Popen(
        [sys.executable, "-m", "im_sandbox", "--http-port", "0", "--tcp-port", "0", "--data-dir", str(tmp_path),
         *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_cli_prints_info_and_stops_on_signal(tmp_path, sig):
    proc = _run_cli(tmp_path, "--appkey", "myorg#myapp", "--client-id", "cid", "--client-secret", "cs",
                    "--token-ttl", "60")
    try:
        info = json.loads(_read_line(proc))
        assert set(info) == INFO_KEYS
        assert (info["appkey"], info["org"], info["app"]) == ("myorg#myapp", "myorg", "myapp")
        assert (info["client_id"], info["client_secret"], info["pid"]) == ("cid", "cs", proc.pid)
        assert info["ws_url"] == info["rest_url"].replace("http://", "ws://") + "/websocket"
        assert requests.get(info["rest_url"] + "/_sandbox/health", timeout=5).json() == {"status": "ok"}
        rest = Rest(info)
        user = rest.create_user()
        assert rest.post("/token", {"grant_type": "password", "username": user, "password": PW},
                         token=None).json()["expires_in"] == 60
        with CLIENTS["tcp"](info) as client:
            client.provision(user, password=PW)
        proc.send_signal(sig)
        assert proc.wait(15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        leftover = proc.stdout.read()
        stderr = proc.stderr.read()
    assert leftover == ""  # exactly one line on stdout
    assert "listening" in stderr and "stopped" in stderr
    log = (tmp_path / "sandbox.log").read_text()
    assert "login" in log and "stopped" in log
    kinds = [json.loads(line)["kind"] for line in (tmp_path / "events.jsonl").read_text().splitlines()]
    assert "user.login" in kinds and "user.created" in kinds


def test_cli_warns_when_not_on_loopback(tmp_path):
    proc = _run_cli(tmp_path, "--host", "0.0.0.0")
    try:
        info = json.loads(_read_line(proc))
        assert info["tcp_host"] == "127.0.0.1"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "reachable from other machines" in proc.stderr.read()


def test_restart_keeps_users_tokens_and_queues(tmp_path):
    first = start_sandbox(tmp_path)
    try:
        rest = Rest(first.info)
        alice, bob = rest.create_user(), rest.create_user()
        token = rest.user_token(bob)
        with CLIENTS["tcp"](first.info) as client:
            client.provision(alice, password=PW)
            sid = client.send_text(bob, "kept").serverId
    finally:
        first.stop()
    second = start_sandbox(tmp_path)
    try:
        with CLIENTS["ws"](second.info) as client:
            client.provision(bob, token=token)
            (queue,) = client.unread().unread
            assert [m.id for m in client.drain(queue.queue)] == [sid]
        with CLIENTS["tcp"](second.info) as client:
            client.provision(alice, password=PW)
            assert client.send_text(bob, "newer").serverId > sid
    finally:
        second.stop()


def test_event_log_records_the_message_flow(tmp_path):
    handle = start_sandbox(tmp_path)
    try:
        rest = Rest(handle.info)
        alice, bob = rest.create_user(), rest.create_user()
        with CLIENTS["tcp"](handle.info) as a, CLIENTS["ws"](handle.info) as b:
            a.provision(alice, password=PW)
            b.provision(bob, password=PW)
            sid = a.send_text(bob, "logged").serverId
            b.drain(b.notice().queue)
            b.logout()
        handle.call(handle.sandbox.ctx.events.flush)
        events = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text().splitlines()]
    finally:
        handle.stop()
    assert all(isinstance(e["ts"], int) and e["kind"] for e in events)
    by_kind = {}
    for e in events:
        by_kind.setdefault(e["kind"], []).append(e)
    assert {e["user"] for e in by_kind["user.login"]} == {alice, bob}
    (up,) = by_kind["message.upstream"]
    assert (up["id"], up["sender"], up["to"], up["type"]) == (sid, alice, bob, "CHAT")
    (down,) = by_kind["message.downstream"]
    assert (down["id"], down["owner"], down["queue"]) == (sid, bob, alice)
    (ack,) = by_kind["message.ack"]
    assert (ack["user"], ack["key"], ack["count"]) == (bob, sid, 1)
    assert by_kind["user.logout"][0]["user"] == bob


def test_handle_api(tmp_path):
    handle = start_sandbox(tmp_path, appkey="a#b")
    try:
        assert handle.info["appkey"] == "a#b" and handle.config.appkey == "a#b"
        assert handle.rest_url == handle.info["rest_url"] and handle.tcp_address[1] == handle.info["tcp_port"]
        assert handle.call(lambda: 41 + 1) == 42
    finally:
        handle.stop()
        handle.stop()  # idempotent
    assert not handle.thread.is_alive()
    with pytest.raises(OSError):
        requests.get(handle.rest_url + "/_sandbox/health", timeout=2)


def test_start_failure_is_reported(tmp_path):
    first = start_sandbox(tmp_path / "a")
    try:
        with pytest.raises(OSError):
            start_sandbox(tmp_path / "b", tcp_port=first.info["tcp_port"])
    finally:
        first.stop()


def test_two_sandboxes_keep_their_logs_apart(tmp_path):
    a = start_sandbox(tmp_path / "a")
    b = start_sandbox(tmp_path / "b")
    try:
        rest = Rest(a.info)
        user = rest.create_user()
        with CLIENTS["tcp"](a.info) as client:
            client.provision(user, password=PW)
    finally:
        a.stop()
        b.stop()
    assert user in (tmp_path / "a" / "sandbox.log").read_text()
    assert user not in (tmp_path / "b" / "sandbox.log").read_text()
