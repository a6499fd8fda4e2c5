"""Diagnostics of failures: ids from the wire log, sandbox log and event log of the window, command templates."""
from __future__ import annotations

import json
import logging
import time

import pytest
from selftest.runner.runner_support import explain

from im_client import WireLog
from im_e2e import diagnostics as diag
from im_sandbox.logsetup import FORMAT as SANDBOX_LOG_FORMAT

pytestmark = pytest.mark.selftest


def test_ids_come_from_channels_rest_calls_and_muc_jids():
    log = WireLog()
    log.record("alice-a1-1/tcp", ">",
               'MSYNC command: SYNC payload { to { name: "55501" domain: "conference.easemob.com" } }')
    log.record("rest", ">", "POST /chatgroups  {\"owner\": \"alice-a1-1\"}")
    log.record("rest", "<", '200 (4 ms) {"data":{"groupid":"184524748161025"}}')
    log.record("rest", ">", "POST /chatrooms  {\"name\": \"r\"}")
    log.record("rest", "<", '200 (3 ms) {"data":{"id":"262144"}}')
    log.record("rest", ">", "DELETE /chatrooms/262144/users/bob-a1-2,carol-a1-3 ")
    log.record("rest", ">", "GET /users/dave-a1-4/status ")
    ids = diag.ids_from_wire_log(log.entries())
    assert ids.as_lists() == {"users": ["alice-a1-1", "bob-a1-2", "carol-a1-3", "dave-a1-4"],
                              "groups": ["184524748161025", "55501"], "rooms": ["262144"]}


def test_wire_logs_lose_their_secrets():
    text = ('rest > POST /token  {"grant_type": "client_credentials", "client_secret": "YXA6s3cr3tS3cr3t"}\n'
            'rest < 200 (3 ms) {"access_token":"YWMtfFZHBxRdDNc6fosK9iEO","expires_in":604800}\n'
            'alice-x-1/tcp > PROVISION password: "$t$YWMtfFZHBxRdDNc6fosK9iEO" resource: "py_tcp_1"\n'
            'alice-x-1/ws > PROVISION authToken: "{\\"token\\":\\"$t$YWMtG_zJW6ft52FORdxU\\"}" sessionId: "1"')
    assert diag.redact(text).splitlines() == [
        'rest > POST /token  {"grant_type": "client_credentials", "client_secret": "YXA6s3…"}',
        'rest < 200 (3 ms) {"access_token":"YWMtfF…","expires_in":604800}',
        'alice-x-1/tcp > PROVISION password: "$t$YWM…" resource: "py_tcp_1"',
        'alice-x-1/ws > PROVISION authToken: "{\\"token\\":\\"$t$YWM…\\"}" sessionId: "1"']


def _sandbox_log(path, records: list[tuple[float, str]]) -> None:
    handler = logging.FileHandler(path / "sandbox.log")
    handler.setFormatter(logging.Formatter(SANDBOX_LOG_FORMAT))
    for created, message in records:
        record = logging.LogRecord("im_sandbox.msync", logging.INFO, __file__, 1, message, None, None)
        record.created, record.msecs = created, (created % 1) * 1000
        handler.emit(record)
    handler.close()


def test_sandbox_log_and_events_of_the_window_and_the_ids(tmp_path):
    now = time.time()
    _sandbox_log(tmp_path, [(now - 600, "alice-a1-1 logged in long ago"),
                            (now - 2, "alice-a1-1 PROVISION ok\nTraceback (most recent call last):\n  boom"),
                            (now - 1, "zed-a9-9 unrelated"),
                            (now + 600, "alice-a1-1 much later")])
    events = [{"ts": int((now - 600) * 1000), "kind": "user.login", "user": "alice-a1-1"},
              {"ts": int((now - 1) * 1000), "kind": "message.upstream", "sender": "alice-a1-1", "to": "bob-a1-2"},
              {"ts": int((now - 1) * 1000), "kind": "user.login", "user": "zed-a9-9"},
              {"ts": int(now * 1000), "kind": "muc.join", "room": "262144"}]
    (tmp_path / "events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events) + "not json\n")
    window = diag.Window(now - 10, now + 5)
    ids = diag.DiagnosticIds(users={"alice-a1-1"}, rooms={"262144"})

    log_text = diag.sandbox_log(tmp_path, window, ids)
    first, *continued = log_text.splitlines()
    assert first.endswith(" INFO im_sandbox.msync: alice-a1-1 PROVISION ok")
    assert continued == ["Traceback (most recent call last):", "  boom"]
    event_lines = [json.loads(line)["kind"] for line in diag.sandbox_events(tmp_path, window, ids).splitlines()]
    assert event_lines == ["message.upstream", "muc.join"]
    assert diag.sandbox_log(tmp_path, window, diag.DiagnosticIds(users={"nobody-0"})).startswith("(no lines")


def test_command_templates_fill_placeholders_and_keep_other_braces(tmp_path):
    window = diag.Window(1_700_000_000.0, 1_700_000_065.5)
    ids = diag.DiagnosticIds(users={"alice-a1-1", "bob-a1-2"}, rooms={"262144"})
    values = diag.placeholders(window, ids, test="tests/t.py::test_x[ws]", run_id="ab12", tz="Asia/Shanghai")
    settings = diag.Settings(commands=(
        diag.CommandSpec("log search", 'echo "tool:log_search_rpc(\\"{start}\\", {seconds}, \\"{user}\\")." {{a, b}}',
                         each="user"),
        diag.CommandSpec("room state", "echo rooms={rooms} test={test} env=$IM_E2E_DIAG_START_TS"),
        diag.CommandSpec("slow", "sleep 5", timeout=0.3),
    ))
    out = dict(diag.run_commands(settings, values, ids))
    assert out["log search alice-a1-1"].splitlines()[1] == \
        'tool:log_search_rpc("2023-11-15 06:13:20", 66, "alice-a1-1"). {{a, b}}'
    assert "bob-a1-2" in out["log search bob-a1-2"]
    assert out["room state"].splitlines()[1] == "rooms=262144 test=tests/t.py::test_x[ws] env=1700000000"
    assert out["slow"].endswith("(timed out after 0.3s)")


def test_a_failed_test_gets_the_configured_diagnostics(mini):
    mini.write("im-e2e.toml", '''
        [diagnostics]
        margin = 2

        [[diagnostics.commands]]
        name = "msync log"
        command = "echo search {user} from {start_ts} to {end_ts}"
        each = "user"
    ''')
    mini.write("tests/test_chat.py", '''
        import pytest

        pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue")]

        def test_offline_message_arrives(wire_log):
            wire_log.record("frank-q-1/ws", ">", "MSYNC command: SYNC")
            assert False, "no offline message"

        def test_passes():
            pass
    ''')
    proc = mini.pytest("--im-report-dir", str(mini.reports / "d1"))
    assert proc.returncode == 1, explain(proc)
    tests = {t["nodeid"]: t for t in mini.results(mini.reports / "d1")["tests"]}
    failed = tests["tests/test_chat.py::test_offline_message_arrives"]
    (attachment,) = failed["diagnostics"]
    assert attachment["name"] == "msync log frank-q-1"
    start, end = (int(x) for x in attachment["text"].splitlines()[1].split()[-3::2])
    assert end - start <= 10 and abs(start + 2 - failed["start"]) < 2
    assert tests["tests/test_chat.py::test_passes"]["diagnostics"] == []
    assert "diagnostics: msync log frank-q-1" in proc.stdout
