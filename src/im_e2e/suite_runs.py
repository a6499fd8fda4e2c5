"""Whole-suite runs for the speed and flake scripts: pytest in a subprocess, every test's outcome kept.

This module is also the pytest plugin that records them: `-p im_e2e.suite_runs --im-outcomes FILE`
writes one JSON line per test phase to FILE from the controlling process (xdist workers report
their results there), so node ids are exact and nothing is parsed from terminal output.

    run = run_suite(["tests"], workers="auto")
    run.seconds, run.counts(), run.slowest(10), run.failed()
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

OPTION = "--im-outcomes"
NOT_POSSIBLE = "not possible on this target: "


# -- the plugin (inside the pytest run) ---------------------------------------------------------
def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(OPTION, metavar="FILE", help="write each test phase's outcome to FILE (JSON lines)")


def pytest_configure(config: pytest.Config) -> None:
    path = config.getoption(OPTION)
    if path and not hasattr(config, "workerinput"):  # the controller sees every worker's reports
        config.pluginmanager.register(_Recorder(Path(path)), "im-e2e-outcomes")


class _Recorder:
    def __init__(self, path: Path):
        self.out = path.open("a", encoding="utf-8")

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        reason = str(report.longrepr[2]) if report.skipped and isinstance(report.longrepr, tuple) else ""
        self.out.write(json.dumps({"id": report.nodeid, "when": report.when, "outcome": report.outcome,
                                   "seconds": report.duration, "not_possible": NOT_POSSIBLE in reason}) + "\n")
        self.out.flush()

    def pytest_unconfigure(self) -> None:
        self.out.close()


# -- the runs (outside) ---------------------------------------------------------------------------
@dataclass
class TestResult:
    outcome: str  # passed, failed (any phase failed: an error counts), skipped, not possible
    seconds: float  # setup + call + teardown


@dataclass
class SuiteRun:
    returncode: int
    seconds: float  # wall time of the whole pytest process
    tests: dict[str, TestResult] = field(default_factory=dict)
    output_tail: str = ""

    def counts(self) -> Counter:
        return Counter(t.outcome for t in self.tests.values())

    def failed(self) -> list[str]:
        return sorted(i for i, t in self.tests.items() if t.outcome == "failed")

    def slowest(self, n: int = 10) -> list[tuple[str, float]]:
        ranked = sorted(self.tests.items(), key=lambda item: item[1].seconds, reverse=True)
        return [(i, t.seconds) for i, t in ranked[:n]]

    @property
    def pytest_summary(self) -> str:
        """pytest's own last line ("950 passed, 2 failed, 29 not possible in 300.1s")."""
        lines = [line for line in self.output_tail.splitlines() if line.strip()]
        return lines[-1].strip("= ") if lines else ""

    def summary(self) -> str:
        counts = self.counts()
        parts = [f"{counts[o]} {o}" for o in ("passed", "failed", "skipped", "not possible") if counts[o]]
        return f"{', '.join(parts) or 'no tests'} in {self.seconds:.1f} s (pytest exit {self.returncode})"


def read_outcomes(path: Path) -> dict[str, TestResult]:
    tests: dict[str, TestResult] = {}
    if not path.exists():
        return tests
    for line in path.read_text(encoding="utf-8").splitlines():
        phase = json.loads(line)
        test = tests.setdefault(phase["id"], TestResult("passed", 0.0))
        test.seconds += phase["seconds"]
        if phase["outcome"] == "failed":
            test.outcome = "failed"
        elif phase["outcome"] == "skipped" and test.outcome != "failed":
            test.outcome = "not possible" if phase["not_possible"] else "skipped"
    return tests


def run_suite(pytest_args: list[str], workers: str = "auto", cwd: Path | None = None,
              timeout: float | None = None, env: dict[str, str] | None = None) -> SuiteRun:
    """One pytest run of `pytest_args` (with `-n workers` unless "0"), in `env` (default: the caller's)."""
    with tempfile.TemporaryDirectory(prefix="im-e2e-suite-") as tmp:
        outcomes = Path(tmp) / "outcomes.jsonl"
        cmd = [sys.executable, "-m", "pytest", "-p", "im_e2e.suite_runs", f"{OPTION}={outcomes}",
               "-p", "no:cacheprovider", "-q", *pytest_args]
        if workers not in ("0", ""):
            cmd += ["-n", workers]
        started = time.monotonic()
        proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
        seconds = time.monotonic() - started
        return SuiteRun(proc.returncode, seconds, read_outcomes(outcomes), (proc.stdout + proc.stderr)[-3000:])


def failure_table(runs: list[SuiteRun]) -> list[str]:
    """One row per test that failed in at least one run: failures/runs, flaky or broken, and the
    runs as marks (`.` passed, `F` failed, `s` skipped, `p` not possible, `-` not run)."""
    marks = {"passed": ".", "failed": "F", "skipped": "s", "not possible": "p"}
    rows = []
    for test in sorted({test for run in runs for test in run.failed()}):
        seen = "".join(marks[run.tests[test].outcome] if test in run.tests else "-" for run in runs)
        failures = seen.count("F")
        verdict = "broken" if failures == seen.count(".") + failures else "flaky"
        rows.append(f"{failures:>3}/{len(runs):<3} {verdict:<6} {seen}  {test}")
    return rows
