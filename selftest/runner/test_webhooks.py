"""Run summaries posted to webhooks in the generic, DingTalk, Feishu and Slack shapes."""
from __future__ import annotations

import base64
import hashlib
import hmac
import urllib.parse

import pytest
from selftest.runner.runner_support import Receiver

from im_e2e import notify
from im_e2e.reports.results import RunResults, TestResult

pytestmark = pytest.mark.selftest


def _summary(failed: bool = True, report_url: str | None = "https://ci.example.com/{run_id}/report.html"):
    tests = [TestResult("tests/chatroom/test_join.py::test_join[ws]", category="passed", owner="yifan"),
             TestResult("tests/chatroom/test_np.py::test_config", category="not_possible", owner="yifan")]
    if failed:
        tests.append(TestResult("tests/chatroom/test_mute.py::test_muted_member[tcp]", outcome="failed",
                                category="failed", owner="yifan", message="AssertionError: send was accepted\nmore"))
    run = RunResults(run_id="20240501-130000-chatroom", label="chatroom-hourly",
                     status="failed" if failed else "passed", exit_status=int(failed), started=1000.0,
                     finished=1090.0, target="staging", commit="0123456789abcdef", tests=tests)
    return notify.Summary.of(run, "chatroom-hourly", report_url)


def test_generic_json_payload_carries_counts_and_failures(receiver):
    hook = notify.Webhook.from_dict({"name": "ops", "kind": "json", "url": receiver.url + "/hook"})
    assert notify.post(hook, _summary())
    (request,) = receiver.at("/hook")
    body = request["json"]
    assert (body["job"], body["status"], body["ok"], body["target"], body["commit"]) == (
        "chatroom-hourly", "failed", False, "staging", "0123456789")
    assert body["counts"] == {"passed": 1, "failed": 1, "rule_differs": 0, "not_possible": 1, "skipped": 0, "total": 3}
    assert body["failures"] == [{"nodeid": "tests/chatroom/test_mute.py::test_muted_member[tcp]", "owner": "yifan",
                                 "message": "AssertionError: send was accepted"}]
    assert body["report"] == "https://ci.example.com/20240501-130000-chatroom/report.html"


def test_dingtalk_markdown_with_signature(receiver):
    hook = notify.Webhook.from_dict({"kind": "dingtalk", "url": receiver.url + "/robot/send?access_token=t",
                                     "secret": "SEC123"})
    assert notify.post(hook, _summary())
    (request,) = receiver.at("/robot/send")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(request["path"]).query)
    timestamp, sign = query["timestamp"][0], query["sign"][0]
    expected = base64.b64encode(hmac.new(b"SEC123", f"{timestamp}\nSEC123".encode(), hashlib.sha256).digest())
    assert query["access_token"] == ["t"] and sign == expected.decode()
    body = request["json"]
    assert body["msgtype"] == "markdown" and body["markdown"]["title"] == "im-e2e chatroom-hourly: FAILED"
    assert "- tests/chatroom/test_mute.py::test_muted_member[tcp] (yifan)" in body["markdown"]["text"]
    assert "[report](https://ci.example.com/" in body["markdown"]["text"]


def test_feishu_post_with_signature(receiver):
    hook = notify.Webhook.from_dict({"kind": "feishu", "url": receiver.url + "/open-apis/bot/v2/hook/x",
                                     "secret": "fs"})
    assert notify.post(hook, _summary())
    body = receiver.requests[0]["json"]
    expected = base64.b64encode(hmac.new(f"{body['timestamp']}\nfs".encode(), b"", hashlib.sha256).digest())
    assert body["sign"] == expected.decode()
    post = body["content"]["post"]["zh_cn"]
    assert body["msg_type"] == "post" and post["title"] == "im-e2e chatroom-hourly: FAILED"
    assert post["content"][-1] == [{"tag": "a", "text": "report",
                                    "href": "https://ci.example.com/20240501-130000-chatroom/report.html"}]


def test_slack_blocks(receiver):
    hook = notify.Webhook.from_dict({"kind": "slack", "url": receiver.url + "/services/T/B/X"})
    assert notify.post(hook, _summary(report_url=None))
    body = receiver.requests[0]["json"]
    assert body["text"].startswith("im-e2e chatroom-hourly: FAILED — 1 passed, 1 failed, 1 not possible")
    assert body["blocks"][0]["text"]["type"] == "mrkdwn"
    text = body["blocks"][0]["text"]["text"]
    assert "`tests/chatroom/test_mute.py::test_muted_member[tcp] (yifan): AssertionError" in text
    assert body["blocks"][1]["elements"][0]["text"] == "report: `20240501-130000-chatroom/report.html`"


def test_notify_on_failure_or_always():
    failing, passing = _summary(failed=True), _summary(failed=False)
    on_failure = notify.Webhook.from_dict({"kind": "json", "url": "http://x", "notify": "failure"})
    always = notify.Webhook.from_dict({"kind": "json", "url": "http://x", "notify": "always"})
    assert on_failure.wants(failing) and not on_failure.wants(passing)
    assert always.wants(passing) and on_failure.wants(passing, override="always")
    with pytest.raises(ValueError, match="kind must be one of"):
        notify.Webhook.from_dict({"kind": "teams", "url": "http://x"})


def test_a_rejected_post_is_reported_not_raised():
    rejecting = Receiver({"errcode": 310000, "errmsg": "sign not match"})
    try:
        hook = notify.Webhook.from_dict({"kind": "dingtalk", "url": rejecting.url + "/robot/send"})
        assert notify.post(hook, _summary()) is False
    finally:
        rejecting.close()
    unreachable = notify.Webhook.from_dict({"kind": "json", "url": "http://127.0.0.1:9/hook", "timeout": 2})
    assert notify.post(unreachable, _summary()) is False
