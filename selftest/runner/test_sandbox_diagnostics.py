"""Against the sandbox, a failure carries the sandbox's log lines and event-log entries of its users."""
from __future__ import annotations

import importlib.util

import pytest
from selftest.runner.runner_support import ROOT, explain

from fixtures.outcomes import not_possible

pytestmark = pytest.mark.selftest


TEST = '''
import pytest

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue")]


@pytest.mark.transport("ws")
def test_message_to_offline_user_is_lost(login, make_user):
    alice = login("alice")
    bob = make_user("bob")
    alice.must_send_text(bob.name, "are you there?")
    assert False, "bob never got it"
'''


def test_sandbox_failure_carries_its_log_and_events(mini):
    if importlib.util.find_spec("im_sandbox") is None:
        not_possible("the embedded sandbox (im_sandbox) is not installed")
    mini.write("conftest.py", (ROOT / "conftest.py").read_text())  # the suite's own plugins
    mini.write("tests/test_chat.py", TEST)
    proc = mini.pytest("--im-report-dir", str(mini.reports / "s1"))
    assert proc.returncode == 1, explain(proc)
    (test,) = mini.results(mini.reports / "s1")["tests"]
    alice, bob = test["ids"]["users"]
    assert alice.startswith("alice-") and bob.startswith("bob-")
    assert f"{alice}/ws > " in test["wire_log"]
    attachments = {d["name"]: d["text"] for d in test["diagnostics"]}
    assert set(attachments) == {"sandbox.log", "events.jsonl"}
    assert '"kind":"user.login"' in attachments["events.jsonl"] and alice in attachments["events.jsonl"]
    assert bob in attachments["events.jsonl"]  # the message to bob went to his offline queue
