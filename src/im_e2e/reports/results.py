"""One run's results: folded from pytest's phase reports, stored as `reports/<run-id>/results.json`.

Every test lands in one of five categories, the ones the summary shows:
passed (incl. xpassed), failed (incl. setup/teardown errors), rule differs (a test resting on a rule the
sandbox chose failed on a real target: fixtures/rules.py), not possible, skipped (incl. xfailed).
"""
from __future__ import annotations

import json
import os
import socket
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

FORMAT = 1
RESULTS_FILE = "results.json"
CATEGORIES = ("passed", "failed", "rule_differs", "not_possible", "skipped")
CATEGORY_LABELS = {"passed": "passed", "failed": "failed", "rule_differs": "rule differs",
                   "not_possible": "not possible", "skipped": "skipped"}
NOT_POSSIBLE_PREFIX = "not possible on this target: "
RULE_DIFFERS_PREFIX = "rule differs: "
RULE_DIFFERS_SECTION = "rule differs"

# report sections the failure plugin adds (fixtures/reports/failures.py), kept apart in the results
WIRE_LOG_SECTION = "wire log"
DIAGNOSTICS_SECTION = "diagnostics: "
# user_properties the plugin sets on every report
OWNER_PROP, AREAS_PROP = "owner", "areas"
# ... and on the tests that name catalogued rules (fixtures/rules.py)
RULES_PROP, RULE_DIFFERS_PROP, RULE_OBSERVED_PROP = "rules", "rule_differs", "rule_observed"
IDS_PROPS = ("users", "groups", "rooms")

UNOWNED = "(no owner)"
NO_AREA = "(other)"
MAX_TEXT = 200_000


@dataclass
class TestResult:
    __test__ = False  # a result, not a pytest test class

    nodeid: str
    outcome: str = "passed"          # passed failed error skipped not_possible xfailed xpassed
    category: str = "passed"
    owner: str = UNOWNED
    areas: list[str] = field(default_factory=list)
    duration: float = 0.0
    start: float = 0.0
    stop: float = 0.0
    when: str = ""                   # the phase that decided the outcome
    message: str = ""
    longrepr: str = ""
    wire_log: str = ""
    diagnostics: list[dict[str, str]] = field(default_factory=list)   # [{"name", "text"}]
    sections: list[list[str]] = field(default_factory=list)           # captured output of failures
    ids: dict[str, list[str]] = field(default_factory=dict)
    worker: str = ""
    rules: list[str] = field(default_factory=list)                    # the rules the test rests on
    rules_differ: list[str] = field(default_factory=list)             # its chosen rules, when "rule differs"
    observed: dict[str, str] = field(default_factory=dict)            # rule id -> what the target did

    @property
    def area_list(self) -> list[str]:
        return self.areas or [NO_AREA]


@dataclass
class RunResults:
    run_id: str
    label: str = ""
    status: str = "passed"           # passed failed interrupted unhealthy error
    exit_status: int = 0
    message: str = ""
    started: float = 0.0
    finished: float = 0.0
    commit: str = ""
    branch: str = ""
    dirty: bool = False
    target: str = ""
    target_url: str = ""
    args: list[str] = field(default_factory=list)
    workers: int = 0
    host: str = field(default_factory=socket.gethostname)
    health: list[dict[str, Any]] = field(default_factory=list)
    tests: list[TestResult] = field(default_factory=list)
    format: int = FORMAT

    @property
    def duration(self) -> float:
        return max(0.0, self.finished - self.started)

    def counts(self) -> dict[str, int]:
        counted = Counter(t.category for t in self.tests)
        return {c: counted.get(c, 0) for c in CATEGORIES} | {"total": len(self.tests)}

    @property
    def ok(self) -> bool:
        return self.status == "passed"

    def failures(self) -> list[TestResult]:
        return [t for t in self.tests if t.category == "failed"]

    def summary_line(self) -> str:
        counts = self.counts()
        parts = [f"{counts[c]} {CATEGORY_LABELS[c]}" for c in CATEGORIES if counts[c] or c in ("passed", "failed")]
        return ", ".join(parts) + f" in {self.duration:.1f}s"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["duration"] = self.duration
        data["counts"] = self.counts()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "RunResults":
        known = set(cls.__dataclass_fields__)
        run = cls(**{k: v for k, v in data.items() if k in known and k != "tests"})
        test_fields = set(TestResult.__dataclass_fields__)
        run.tests = [TestResult(**{k: v for k, v in t.items() if k in test_fields}) for t in data.get("tests", [])]
        return run


def write(run: RunResults, run_dir: Path) -> Path:
    """Write results.json atomically (a reader never sees half a file)."""
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / RESULTS_FILE
    fd, tmp = tempfile.mkstemp(dir=run_dir, prefix=".results-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(run.to_dict(), fh, ensure_ascii=False, indent=1)
    os.replace(tmp, path)
    return path


def read(run_dir: Path) -> RunResults:
    with (run_dir / RESULTS_FILE).open(encoding="utf-8") as fh:
        return RunResults.from_dict(json.load(fh))


def summary_by_owner(run: RunResults) -> list[dict[str, Any]]:
    """Rows for the summary table: per owner a total row, then one row per area."""
    table: dict[str, dict[str, Counter]] = {}
    for test in run.tests:
        for area in test.area_list:
            table.setdefault(test.owner, {}).setdefault(area, Counter())[test.category] += 1
    rows = []
    for owner in sorted(table, key=lambda o: (o == UNOWNED, o)):
        areas = table[owner]
        owner_total: Counter = Counter()
        # a test with two area markers counts once for its owner
        for test in run.tests:
            if test.owner == owner:
                owner_total[test.category] += 1
        rows.append({"owner": owner, "area": "", "kind": "owner", **_row(owner_total)})
        for area in sorted(areas, key=lambda a: (a == NO_AREA, a)):
            rows.append({"owner": owner, "area": area, "kind": "area", **_row(areas[area])})
    return rows


def _row(counter: Counter) -> dict[str, int]:
    row = {c: counter.get(c, 0) for c in CATEGORIES}
    row["total"] = sum(row.values())
    return row


# ---------------------------------------------------------------------------------------- folding
def _text(value: Any) -> str:
    text = str(value or "")
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + f"\n… ({len(text) - MAX_TEXT} more characters)"


def skip_reason(report: Any) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, (tuple, list)) and len(longrepr) == 3:
        reason = str(longrepr[2])
        return reason[len("Skipped: "):] if reason.startswith("Skipped: ") else reason
    return str(longrepr or "")


def crash_message(report: Any) -> str:
    crash = getattr(getattr(report, "longrepr", None), "reprcrash", None)
    if crash is not None and getattr(crash, "message", None):
        return str(crash.message)
    text = getattr(report, "longreprtext", "") or str(report.longrepr or "")
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1] if lines else ""


class Collector:
    """Folds the setup/call/teardown reports of each test (as the controller sees them) into TestResults."""

    def __init__(self) -> None:
        self.tests: dict[str, TestResult] = {}

    def add(self, report: Any) -> TestResult | None:
        """Fold one phase report in; returns the test once its teardown arrived (it is then final)."""
        test = self.tests.get(report.nodeid)
        if test is None:
            test = self.tests[report.nodeid] = TestResult(report.nodeid, start=report.start or 0.0)
        test.duration += float(report.duration or 0.0)
        test.stop = max(test.stop, report.stop or 0.0)
        if report.start:
            test.start = min(test.start, report.start) if test.start else report.start
        node = getattr(report, "node", None)
        if node is not None:
            test.worker = str(getattr(getattr(node, "gateway", None), "id", "") or "")
        self._properties(test, report.user_properties)
        self._outcome(test, report)
        for title, text in report.sections:
            if title == WIRE_LOG_SECTION:
                test.wire_log = _text(text)
            elif title.startswith(DIAGNOSTICS_SECTION):
                test.diagnostics.append({"name": title[len(DIAGNOSTICS_SECTION):], "text": _text(text)})
        return test if report.when == "teardown" else None

    @staticmethod
    def _properties(test: TestResult, props: Iterable) -> None:
        for name, value in props:
            if name == OWNER_PROP and value:
                test.owner = str(value)
            elif name == AREAS_PROP:
                test.areas = [a for a in str(value).split(",") if a]
            elif name in IDS_PROPS:
                test.ids[name] = [v for v in str(value).split(",") if v]
            elif name == RULES_PROP:
                test.rules = [v for v in str(value).split(",") if v]
            elif name == RULE_DIFFERS_PROP:
                test.rules_differ = [v for v in str(value).split(",") if v]
            elif name == RULE_OBSERVED_PROP and "=" in str(value):
                rule_id, _, seen = str(value).partition("=")
                test.observed[rule_id] = seen

    @staticmethod
    def _outcome(test: TestResult, report: Any) -> None:
        wasxfail = hasattr(report, "wasxfail")
        if report.failed:
            if test.category == "failed":
                return  # keep the first failure (a teardown error after a failed call)
            test.outcome = "failed" if report.when == "call" else "error"
            test.category, test.when = "failed", report.when
            test.message = crash_message(report)
            test.longrepr = _text(getattr(report, "longreprtext", "") or report.longrepr)
            test.sections = [[t, _text(x)] for t, x in report.sections
                             if t != WIRE_LOG_SECTION and not t.startswith(DIAGNOSTICS_SECTION)]
        elif report.skipped and test.category == "passed":
            if wasxfail:
                test.outcome, test.category, test.message = "xfailed", "skipped", str(report.wasxfail)
            elif skip_reason(report).startswith(RULE_DIFFERS_PREFIX):
                test.outcome = test.category = "rule_differs"
                test.message = skip_reason(report)[len(RULE_DIFFERS_PREFIX):]
                test.longrepr = _text(dict(report.sections).get(RULE_DIFFERS_SECTION, ""))
            else:
                reason = skip_reason(report)
                possible = not reason.startswith(NOT_POSSIBLE_PREFIX)
                test.outcome = test.category = "skipped" if possible else "not_possible"
                test.message = reason if possible else reason[len(NOT_POSSIBLE_PREFIX):]
            test.when = report.when
        elif report.passed and report.when == "call" and test.category == "passed":
            test.outcome = "xpassed" if wasxfail else "passed"
            test.when = "call"
