"""One issue per failing scheduled suite: open it on the first failure, comment on it after that.

    im-e2e issue --forge github    # GITHUB_TOKEN, GITHUB_REPOSITORY (set by GitHub Actions)
    im-e2e issue --forge gitlab    # IM_E2E_GITLAB_TOKEN, CI_API_V4_URL, CI_PROJECT_ID (GitLab CI)

The issue is found by its title, "im-e2e: <label> failing on <target>", among the open issues
carrying the label `im-e2e`, so reruns of a broken suite pile up as comments, not new issues.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any

import requests

from .notify import Summary

log = logging.getLogger(__name__)

LABEL = "im-e2e"
TIMEOUT = 20


def title_for(summary: Summary, label: str) -> str:
    return f"im-e2e: {label or summary.job} failing on {summary.target or 'the default target'}"


def body_for(summary: Summary, run_url: str | None) -> str:
    lines = [f"**{summary.title}** — {summary.counts_line}", "", summary.where]
    if summary.message:
        lines += ["", "```", summary.message, "```"]
    failures = summary.failure_lines()
    if failures:
        lines += ["", "Failures:", *[f"- `{line}`" for line in failures]]
    if run_url:
        lines += ["", f"Pipeline: {run_url}"]
    lines += [f"Report: {summary.report}"]
    return "\n".join(lines)


@dataclass
class Forge:
    api: str
    token: str
    project: str
    kind: str          # github | gitlab

    @classmethod
    def from_env(cls, kind: str) -> "Forge":
        env = os.environ
        if kind == "github":
            return cls(env.get("GITHUB_API_URL", "https://api.github.com"), _need("GITHUB_TOKEN"),
                       _need("GITHUB_REPOSITORY"), kind)
        return cls(_need("CI_API_V4_URL"), _need("IM_E2E_GITLAB_TOKEN"), _need("CI_PROJECT_ID"), kind)

    def _request(self, method: str, path: str, **kw: Any) -> Any:
        if self.kind == "github":
            headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/vnd.github+json"}
        else:
            headers = {"PRIVATE-TOKEN": self.token}
        resp = requests.request(method, self.api.rstrip("/") + path, headers=headers, timeout=TIMEOUT, **kw)
        resp.raise_for_status()
        return resp.json()

    def open_issue(self, title: str) -> int | None:
        if self.kind == "github":
            issues = self._request("GET", f"/repos/{self.project}/issues",
                                   params={"state": "open", "labels": LABEL, "per_page": 100})
            return next((i["number"] for i in issues if i["title"] == title and "pull_request" not in i), None)
        issues = self._request("GET", f"/projects/{requests.utils.quote(self.project, safe='')}/issues",
                               params={"state": "opened", "labels": LABEL, "search": title, "in": "title",
                                       "per_page": 100})
        return next((i["iid"] for i in issues if i["title"] == title), None)

    def create(self, title: str, body: str) -> int:
        if self.kind == "github":
            return self._request("POST", f"/repos/{self.project}/issues",
                                 json={"title": title, "body": body, "labels": [LABEL]})["number"]
        return self._request("POST", f"/projects/{requests.utils.quote(self.project, safe='')}/issues",
                             json={"title": title, "description": body, "labels": LABEL})["iid"]

    def comment(self, number: int, body: str) -> None:
        if self.kind == "github":
            self._request("POST", f"/repos/{self.project}/issues/{number}/comments", json={"body": body})
        else:
            self._request("POST", f"/projects/{requests.utils.quote(self.project, safe='')}/issues/{number}/notes",
                          json={"body": body})


def _need(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise KeyError(f"{name} is not set")
    return value


def run_url() -> str | None:
    env = os.environ
    if env.get("GITHUB_RUN_ID"):
        server = env.get("GITHUB_SERVER_URL", "https://github.com")
        return f"{server}/{env.get('GITHUB_REPOSITORY')}/actions/runs/{env['GITHUB_RUN_ID']}"
    return env.get("CI_PIPELINE_URL") or env.get("CI_JOB_URL")


def report_failure(forge: Forge, summary: Summary, label: str) -> tuple[str, int]:
    """("opened" | "commented", issue number)."""
    title = title_for(summary, label)
    body = body_for(summary, run_url())
    number = forge.open_issue(title)
    if number is None:
        return "opened", forge.create(title, body)
    forge.comment(number, body)
    return "commented", number
