"""`im-e2e rules`: run the tests that name catalogued rules and tell, per rule, what the target does.

Each rule of docs/protocol/rules.toml that a test ran for is **confirmed** (every test resting on it
passed), **contradicted** (one failed — on a real target a chosen rule's failure is "rule differs",
a documented rule's a regression) or **not exercised** (no test ran for it, or all were skipped /
not possible). The observed value is what a test recorded with `observed()`, else the failure's
message. The table is printed and written as `rules.json` next to the run's results.json.
"""
from __future__ import annotations

import json
import sys
import textwrap
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import project
from . import rules as rules_mod
from .reports import results as results_mod

RULES_FILE = "rules.json"
CONFIRMED, CONTRADICTED, NOT_EXERCISED = "confirmed", "contradicted", "not exercised"
FAILING = ("failed", "rule_differs")


@dataclass
class RuleRow:
    id: str
    source: str
    verdict: str
    passed: int = 0
    failed: int = 0
    other: int = 0
    observed: list[str] = field(default_factory=list)
    tests: list[str] = field(default_factory=list)


def table(run: results_mod.RunResults, catalogue: dict[str, rules_mod.Rule]) -> list[RuleRow]:
    """One row per rule a test named and per chosen rule, in catalogue order."""
    rows = {rid: RuleRow(rid, rule.source, NOT_EXERCISED) for rid, rule in catalogue.items()}
    named: set[str] = set()
    for test in run.tests:
        for rid in test.rules:
            row = rows.get(rid)
            if row is None:
                continue
            named.add(rid)
            row.tests.append(test.nodeid)
            if test.category == "passed":
                row.passed += 1
            elif test.category in FAILING:
                row.failed += 1
                seen = test.observed.get(rid) or _without_ids(test.message, test.rules_differ)
                if seen and seen not in row.observed:
                    row.observed.append(seen)
            else:
                row.other += 1
            if test.category == "passed" and rid in test.observed and test.observed[rid] not in row.observed:
                row.observed.append(test.observed[rid])
    for row in rows.values():
        row.verdict = CONTRADICTED if row.failed else CONFIRMED if row.passed else NOT_EXERCISED
    return [row for rid, row in rows.items() if rid in named or catalogue[rid].chosen]


def _without_ids(message: str, ids: list[str]) -> str:
    head = ", ".join(ids) + ": "
    return message[len(head):] if ids and message.startswith(head) else message


def counts(rows: list[RuleRow]) -> dict[str, int]:
    return {v: sum(r.verdict == v for r in rows) for v in (CONFIRMED, CONTRADICTED, NOT_EXERCISED)}


def format_table(rows: list[RuleRow], target: str, width: int = 60) -> str:
    shown = [r for r in rows if r.verdict != NOT_EXERCISED or r.tests]
    idw = max([len(r.id) for r in shown] + [4])
    lines = [f"rules on target {target}:", f"{'rule':<{idw}}  {'source':<10}  {'verdict':<13}  tests  observed"]
    for r in shown:
        ran = f"{r.passed}/{r.passed + r.failed}" if r.passed + r.failed else "-"
        seen = "; ".join(r.observed)
        seen = seen if len(seen) <= width else seen[:width - 1] + "…"
        lines.append(f"{r.id:<{idw}}  {r.source:<10}  {r.verdict:<13}  {ran:<5}  {seen}".rstrip())
    idle = [r.id for r in rows if r.verdict == NOT_EXERCISED and not r.tests]
    if idle:
        lines += textwrap.wrap(f"chosen rules no test ran for here ({len(idle)}): " + ", ".join(idle), 110,
                               subsequent_indent="    ", break_on_hyphens=False)
    c = counts(rows)
    lines.append(f"{c[CONFIRMED]} confirmed, {c[CONTRADICTED]} contradicted, {c[NOT_EXERCISED]} not exercised")
    return "\n".join(lines)


def write(rows: list[RuleRow], run: results_mod.RunResults, run_dir: Path) -> Path:
    path = run_dir / RULES_FILE
    data = {"run_id": run.run_id, "target": run.target, "counts": counts(rows), "rules": [asdict(r) for r in rows]}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def run(target: str | None, rules: list[str], workers: str | None, extra: list[str], reports_dir: Path | None,
        project_dir: Path | None, run_id: str | None = None, strict: bool = False) -> int:
    """Run the rule-tagged tests (all, or those of `rules`) on `target`; print and store the table."""
    from .runner import RunRequest, new_run_id
    from .runner import run as run_suite

    root = project.find_root(project_dir)
    reports = (reports_dir or root / "reports").resolve()
    run_id = run_id or new_run_id(reports, "rules")
    pytest_args = ["--rules-only", *[f"--rule={r}" for r in rules], *(["--strict-rules"] if strict else []), *extra]
    code = run_suite(RunRequest(target=target, workers=workers, extra=pytest_args, run_id=run_id, label="rules",
                                reports_dir=reports, progress=None, allure_html=False, project=root))
    run_dir = reports / run_id
    try:
        results = results_mod.read(run_dir)
    except (OSError, ValueError) as exc:
        print(f"im-e2e rules: no results in {run_dir}: {exc}", file=sys.stderr)
        return code or 1
    rows = table(results, rules_mod.catalogue())
    path = write(rows, results, run_dir)
    print(format_table(rows, results.target or target or "sandbox"))
    print(f"im-e2e rules: {path}")
    return code
