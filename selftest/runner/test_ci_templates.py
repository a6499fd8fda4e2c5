"""The CI templates run, not just parse.

ci/gitlab: the scheduled job end to end in gitlab-ci-local with the shell executor (no docker) on a
copy of this checkout: its rules fire for a schedule, it installs the project, runs `im-e2e run -m
login` on the sandbox with a named fault (so the run fails, as a broken staging would), keeps its
artifacts (JUnit, report.html) and its after_script opens the failure issue on a local stand-in of
the GitLab API. ci/github: the workflow validated against the GitHub workflow schema by
action-validator, which also has to reject a broken copy. Without the tools: not possible.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.outcomes import not_possible
from im_e2e.inner_env import inner_env
from selftest.runner.runner_support import ROOT, explain

pytestmark = pytest.mark.selftest

# gitlab-ci-local releases after 4.58.0 need Node >= 22 (Set.prototype.union)
TOOLS = "npm install -g gitlab-ci-local@4.58.0 @action-validator/cli"
GITLAB_JOB = "im-e2e:scheduled"
GITLAB_TEMPLATE = "ci/gitlab/im-e2e-scheduled.gitlab-ci.yml"
GITHUB_WORKFLOW = ROOT / "ci" / "github" / "im-e2e-scheduled.yml"
FAULT = "wrong_password_reason"  # caught by the login suite (docs/faults.md)
JOB_TIMEOUT = 900  # pip install from the registry, then the login suite on two workers


def need(*tools: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        fixes = {"rsync": "apt-get install -y rsync", "git": "apt-get install -y git"}
        fix = "; ".join(dict.fromkeys(fixes.get(tool, TOOLS) for tool in missing))
        not_possible(f"{', '.join(missing)} not installed (fix: {fix})")


def checkout_copy(dest: Path) -> Path:
    """This checkout's tracked files (as they are in the work tree) in a fresh git repository."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    (dest / ".gitlab-ci.yml").write_text(f"include:\n  - local: {GITLAB_TEMPLATE}\n")
    git = ["git", "-c", "user.name=ci", "-c", "user.email=ci@example.com"]
    for step in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "checkout copy"]):
        subprocess.run(git + step, cwd=dest, check=True, capture_output=True)
    return dest


def pip_cache() -> str:
    return subprocess.run([sys.executable, "-m", "pip", "cache", "dir"], capture_output=True, text=True).stdout.strip()


def test_github_workflow_matches_the_workflow_schema(tmp_path):
    """action-validator accepts the template and rejects a copy with a misspelt key."""
    need("action-validator")
    good = subprocess.run(["action-validator", str(GITHUB_WORKFLOW)], capture_output=True, text=True, timeout=60)
    assert good.returncode == 0, explain(good)
    broken = tmp_path / "broken.yml"
    broken.write_text(GITHUB_WORKFLOW.read_text().replace("runs-on:", "runs-onn:"))
    bad = subprocess.run(["action-validator", str(broken)], capture_output=True, text=True, timeout=60)
    assert bad.returncode != 0 and "runs-on" in bad.stdout + bad.stderr, explain(bad)


def test_gitlab_scheduled_job_runs_end_to_end(tmp_path, forge):
    """The scheduled job runs locally: tests, artifacts, and the failure issue through the API."""
    need("gitlab-ci-local", "rsync", "git")
    repo = checkout_copy(tmp_path / "repo")
    variables = {
        "CI_PIPELINE_SOURCE": "schedule", "CI_PIPELINE_SCHEDULE_DESCRIPTION": "login-smoke",
        "IM_E2E_TARGET": "sandbox", "IM_E2E_MARKER": "login", "IM_E2E_WORKERS": "2",
        "IM_SANDBOX_FAULTS": FAULT,  # the run fails, so the after_script's issue step runs
        "CI_API_V4_URL": forge.url, "CI_PROJECT_ID": "42", "IM_E2E_GITLAB_TOKEN": "glpat-local",
        "PIP_CACHE_DIR": pip_cache(),
    }
    cmd = ["gitlab-ci-local", "--force-shell-executor", "--home", str(tmp_path / "home"),
           *(f"--variable={name}={value}" for name, value in variables.items()), GITLAB_JOB]
    env = inner_env()
    env.pop("PYTHONPATH", None)  # the job installs the copy into a venv of its own
    done = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, timeout=JOB_TIMEOUT)
    log = done.stdout + done.stderr
    assert done.returncode != 0 and f"FAIL  {GITLAB_JOB}" in log, explain(done)  # failed by the fault …
    assert "im-e2e run" in log and "-m login -n 2" in log, explain(done)          # … after running the suite

    (run_dir,) = (repo / ".gitlab-ci-local" / "artifacts").glob("*/reports/*-login-smoke")
    assert (run_dir / "report.html").is_file()
    junit = (run_dir / "junit.xml").read_text()
    assert "<failure" in junit and "test_login" in junit

    (issue,) = forge.issues
    assert issue["title"] == "im-e2e: login-smoke failing on sandbox", issue
    assert forge.auth and set(forge.auth) == {"glpat-local"}
