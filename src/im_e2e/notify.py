"""Run summaries posted to webhooks: generic JSON, DingTalk, Feishu (Lark) and Slack payload shapes.

    [[webhooks]]
    name = "chatroom-team"
    kind = "dingtalk"            # json | dingtalk | feishu | slack
    url = "https://oapi.dingtalk.com/robot/send?access_token=${DINGTALK_TOKEN}"
    secret = "${DINGTALK_SECRET}"  # optional: DingTalk/Feishu signed robots
    notify = "failure"           # failure (default) | always

A failed post is logged and never fails the run. The webhooks are read by im_e2e.config (Webhook).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from .config.schedule import NOTIFY_WHEN, WEBHOOK_KINDS, Webhook
from .reports.results import CATEGORIES, CATEGORY_LABELS, RunResults

log = logging.getLogger(__name__)

KINDS = WEBHOOK_KINDS
WHEN = NOTIFY_WHEN
MAX_FAILURES = 10


@dataclass(frozen=True)
class Failure:
    nodeid: str
    owner: str
    message: str


@dataclass(frozen=True)
class Summary:
    job: str
    run_id: str
    status: str
    ok: bool
    counts: dict[str, int]
    duration: float
    target: str
    commit: str
    message: str
    failures: list[Failure]
    report: str                         # URL (with report_url) or the local path of report.html

    @classmethod
    def of(cls, run: RunResults, job: str, report_url: str | None = None, run_dir: Path | None = None) -> "Summary":
        failures = [Failure(t.nodeid, t.owner, (t.message.splitlines() or [""])[0][:300]) for t in run.failures()]
        if report_url:
            report = report_url.replace("{run_id}", run.run_id).replace("{job}", job)
        else:
            report = str((run_dir or Path(run.run_id)) / "report.html")
        return cls(job=job, run_id=run.run_id, status=run.status, ok=run.ok, counts=run.counts(),
                   duration=run.duration, target=run.target, commit=run.commit[:10], message=run.message,
                   failures=failures, report=report)

    @property
    def title(self) -> str:
        return f"im-e2e {self.job}: {self.status.upper()}"

    @property
    def counts_line(self) -> str:
        parts = [f"{self.counts.get(c, 0)} {CATEGORY_LABELS[c]}" for c in CATEGORIES
                 if self.counts.get(c, 0) or c != "rule_differs"]
        return ", ".join(parts) + f" in {self.duration / 60:.1f} min"

    @property
    def where(self) -> str:
        return f"target {self.target or '?'}, commit {self.commit or '?'}, run {self.run_id}"

    @property
    def report_is_url(self) -> bool:
        return self.report.startswith(("http://", "https://"))

    def failure_lines(self) -> list[str]:
        lines = [f"{f.nodeid} ({f.owner}): {f.message}" for f in self.failures[:MAX_FAILURES]]
        if len(self.failures) > MAX_FAILURES:
            lines.append(f"… and {len(self.failures) - MAX_FAILURES} more")
        return lines

    def text(self) -> str:
        lines = [self.title, self.counts_line, self.where]
        if self.message:
            lines.append(self.message.splitlines()[0])
        lines += ["- " + line for line in self.failure_lines()]
        return "\n".join(lines + [f"report: {self.report}"])


# ---------------------------------------------------------------------------------- payloads
def payload_json(s: Summary) -> dict[str, Any]:
    return {
        "event": "im-e2e.run", "job": s.job, "run_id": s.run_id, "status": s.status, "ok": s.ok,
        "counts": s.counts, "duration": round(s.duration, 3), "target": s.target, "commit": s.commit,
        "message": s.message, "report": s.report, "text": s.text(),
        "failures": [{"nodeid": f.nodeid, "owner": f.owner, "message": f.message} for f in s.failures],
    }


def payload_dingtalk(s: Summary) -> dict[str, Any]:
    report = f"[report]({s.report})" if s.report_is_url else f"report: `{s.report}`"
    lines = [f"### {s.title}", f"**{s.counts_line}**", "", s.where, ""]
    if s.message:
        lines += [f"> {s.message.splitlines()[0]}", ""]
    lines += [f"- {line}" for line in s.failure_lines()] + ["", report]
    return {"msgtype": "markdown", "markdown": {"title": s.title, "text": "\n".join(lines)}}


def payload_feishu(s: Summary) -> dict[str, Any]:
    rows = [[{"tag": "text", "text": s.counts_line}], [{"tag": "text", "text": s.where}]]
    if s.message:
        rows.append([{"tag": "text", "text": s.message.splitlines()[0]}])
    rows += [[{"tag": "text", "text": "• " + line}] for line in s.failure_lines()]
    rows.append([{"tag": "a", "text": "report", "href": s.report}] if s.report_is_url
                else [{"tag": "text", "text": f"report: {s.report}"}])
    return {"msg_type": "post", "content": {"post": {"zh_cn": {"title": s.title, "content": rows}}}}


def payload_slack(s: Summary) -> dict[str, Any]:
    icon = ":white_check_mark:" if s.ok else ":red_circle:"
    body = [f"{icon} *{s.title}*", s.counts_line, f"_{s.where}_"]
    if s.message:
        body.append(f"> {s.message.splitlines()[0]}")
    body += [f"• `{line}`" for line in s.failure_lines()]
    link = f"<{s.report}|report>" if s.report_is_url else f"report: `{s.report}`"
    return {"text": f"{s.title} — {s.counts_line}",
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(body)[:2900]}},
                       {"type": "context", "elements": [{"type": "mrkdwn", "text": link}]}]}


PAYLOADS = {"json": payload_json, "dingtalk": payload_dingtalk, "feishu": payload_feishu, "slack": payload_slack}


# ---------------------------------------------------------------------------------- signing
def dingtalk_signed_url(url: str, secret: str, now: float | None = None) -> str:
    """DingTalk robot 'sign' security setting: timestamp (ms) and HMAC-SHA256 signature in the query."""
    timestamp = str(int((now or time.time()) * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"


def feishu_sign(secret: str, now: float | None = None) -> dict[str, str]:
    """Feishu custom bot signature check: `timestamp` (s) and `sign` fields in the body."""
    timestamp = str(int(now or time.time()))
    digest = hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return {"timestamp": timestamp, "sign": base64.b64encode(digest).decode()}


def request_for(webhook: Webhook, summary: Summary) -> tuple[str, dict[str, Any]]:
    body = PAYLOADS[webhook.kind](summary)
    url = webhook.url
    if webhook.secret and webhook.kind == "dingtalk":
        url = dingtalk_signed_url(url, webhook.secret)
    elif webhook.secret and webhook.kind == "feishu":
        body = {**feishu_sign(webhook.secret), **body}
    return url, body


def post(webhook: Webhook, summary: Summary) -> bool:
    """POST the summary; True if the receiver accepted it. Problems are logged, never raised."""
    url, body = request_for(webhook, summary)
    try:
        resp = requests.post(url, json=body, headers=webhook.headers, timeout=webhook.timeout)
    except requests.RequestException as exc:
        log.warning("webhook %s: %s", webhook.name, exc)
        return False
    if resp.status_code >= 300:
        log.warning("webhook %s: HTTP %s %s", webhook.name, resp.status_code, resp.text[:300])
        return False
    if webhook.kind in ("dingtalk", "feishu"):  # both answer 200 with an error code in the body
        try:
            answer = resp.json()
        except ValueError:
            answer = {}
        code = answer.get("errcode", answer.get("code", answer.get("StatusCode", 0)))
        if code not in (0, None):
            log.warning("webhook %s: rejected: %s", webhook.name, resp.text[:300])
            return False
    log.info("webhook %s: posted %s", webhook.name, summary.title)
    return True
