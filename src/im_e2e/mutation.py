"""Mutation testing of the sandbox, one area at a time, with cosmic-ray as the mutation engine.

`im-e2e mutation --area recall --sample 20 --seed 1` lists every mutant cosmic-ray's operators make
in the modules that serve the area (docs/mutation/areas.toml), draws a fixed-seed sample, and for
each one writes the mutated module into a private copy of `src/` (the checkout is never touched),
runs the area's tests against it (`pytest -m AREA -x`, both transports, `PYTHONPATH` = the copy, so
the sandbox the suite starts, in-thread or as a subprocess, runs the mutant) and restores the file.
A mutant is *killed* when a test fails (or the run times out), *survived* when the area passes.
Before the first mutant the area runs once unmutated: it must be green, else nothing is measured.
A kill is *confirmed* by running the test that killed it again on the unmutated copy.
Mutants known to be equivalent (docs/mutation/equivalent.toml, each with its reason) are reported
as such and not counted. docs/mutation.md has the figures.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import mutation_lines
from .faults import EXCLUDED_MARKERS, read_junit
from .inner_env import inner_env

AREAS_FILE = "docs/mutation/areas.toml"
EQUIVALENT_FILE = "docs/mutation/equivalent.toml"
MUTANT_TIMEOUT = 300.0  # seconds for one mutant's area run; a mutant that hangs the suite is killed
# cosmic-ray operators whose mutants are noise for a network service (they rewrite numbers in every
# constant, or swap operators Python code here never uses)
SKIPPED_OPERATORS = ("core/NumberReplacer",)


@dataclass(frozen=True)
class Mutant:
    module: str  # relative to src/
    operator: str
    occurrence: int
    line: int
    column: int
    source_line: str

    @property
    def id(self) -> str:
        return f"{self.module}:{self.line}:{self.column} {self.operator}#{self.occurrence}"


@dataclass
class MutantResult:
    mutant: Mutant
    outcome: str  # killed | survived | timeout | equivalent | incompetent
    killed_by: list[str] = field(default_factory=list)
    confirmed: bool | None = None  # the killing test passes again on the unmutated code
    seconds: float = 0.0
    diff: str = ""
    reason: str = ""  # equivalent: why; incompetent: what went wrong


def _areas_file(root: Path) -> dict:
    with open(root / AREAS_FILE, "rb") as fh:
        return tomllib.load(fh)


def load_areas(root: Path) -> dict[str, list[str]]:
    return {area: list(mods) for area, mods in _areas_file(root)["areas"].items()}


def load_oracles(root: Path) -> dict[str, str]:
    """area -> the pytest marker expression of its oracle: the area's own marker unless
    areas.toml's [oracles] names a wider one (passthrough and ext are one item of the seed)."""
    data = _areas_file(root)
    return {area: data.get("oracles", {}).get(area, area) for area in data["areas"]}


def load_equivalents(root: Path) -> list[dict]:
    path = root / EQUIVALENT_FILE
    if not path.exists():
        return []
    with open(path, "rb") as fh:
        return list(tomllib.load(fh).get("mutant", []))


SEAM_REMOVED = ("a seam is a pass-through unless a named fault is switched on, and an area run switches none; "
                "the fault matrix (im-e2e faults) is what guards the seam itself")


def equivalent_reason(mutant: Mutant, equivalents: Iterable[dict]) -> str | None:
    """The reason a mutant is marked equivalent: same module, operator and line, and (when the entry
    names it) the same source line, so an entry stops matching once the code under it changes.
    Removing a `@seam(...)` decorator is equivalent by construction (SEAM_REMOVED)."""
    if mutant.operator == "core/RemoveDecorator" and mutant.source_line.strip().startswith("@seam("):
        return SEAM_REMOVED
    for entry in equivalents:
        if (entry.get("module"), entry.get("operator"), entry.get("line")) != (mutant.module, mutant.operator,
                                                                               mutant.line):
            continue
        if "source" in entry and entry["source"].strip() != mutant.source_line.strip():
            continue
        return entry["reason"]
    return None


def annotation_spans(source: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(start, end) positions of every type annotation: a mutant there (`str | None` -> `str & None`)
    changes nothing at run time under `from __future__ import annotations`, so none is made."""
    import ast

    spans = []
    for node in ast.walk(ast.parse(source)):
        found = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns is not None:
            found.append(node.returns)
        elif isinstance(node, ast.arg) and node.annotation is not None:
            found.append(node.annotation)
        elif isinstance(node, ast.AnnAssign):
            found.append(node.annotation)
        spans += [((a.lineno, a.col_offset), (a.end_lineno, a.end_col_offset)) for a in found]
    return spans


def _inside(position: tuple[int, int], spans: list[tuple[tuple[int, int], tuple[int, int]]]) -> bool:
    return any(start <= position < end for start, end in spans)


def enumerate_mutants(src: Path, modules: Iterable[str]) -> list[Mutant]:
    """Every mutant cosmic-ray's core operators make in `modules` (paths relative to `src`), except
    in type annotations."""
    import cosmic_ray.plugins
    from cosmic_ray.ast import ast_nodes, get_ast_from_path

    operators = [(name, cosmic_ray.plugins.get_operator(name)) for name in cosmic_ray.plugins.operator_names()]
    mutants = []
    for module in modules:
        path = src / module
        text = path.read_text(encoding="utf-8")
        lines, skip = text.splitlines(), annotation_spans(text)
        tree = get_ast_from_path(path)
        for name, operator_class in operators:
            if name.startswith(SKIPPED_OPERATORS) or operator_class.arguments():
                continue
            operator = operator_class()
            positions = [pos for node in ast_nodes(tree) for pos in operator.mutation_positions(node)]
            for occurrence, (start, _end) in enumerate(positions):
                line, column = start
                if _inside((line, column), skip):
                    continue
                mutants.append(Mutant(module, name, occurrence, line, column, lines[line - 1] if line <= len(lines) else ""))
    return mutants


def sample(mutants: list[Mutant], size: int | None, seed: int) -> list[Mutant]:
    if not size or size >= len(mutants):
        return list(mutants)
    return sorted(random.Random(seed).sample(mutants, size), key=lambda m: (m.module, m.line, m.operator))


def mutated_source(src: Path, mutant: Mutant) -> str | None:
    import cosmic_ray.plugins
    from cosmic_ray.mutating import mutate_code

    operator = cosmic_ray.plugins.get_operator(mutant.operator)()
    return mutate_code((src / mutant.module).read_text(encoding="utf-8"), operator, mutant.occurrence)


def _diff(original: str, mutated: str, name: str) -> str:
    import difflib

    return "".join(difflib.unified_diff(original.splitlines(True), mutated.splitlines(True), name, name, n=0))


class Workspace:
    """A private copy of the project (src/, the suite and its data files): mutants are written there and
    the area's tests run there, never in the checkout."""

    COPIED = ("src", "tests", "fixtures", "docs", "conftest.py", "pyproject.toml")
    IGNORED = ("__pycache__", "*.pyc", "node_modules", "*.png")

    def __init__(self, root: Path):
        self.dir = Path(tempfile.mkdtemp(prefix="im-e2e-mutation-"))
        self.root = self.dir  # the inner runs' working directory
        for name in self.COPIED:
            source = root / name
            if source.is_dir():
                shutil.copytree(source, self.dir / name, ignore=shutil.ignore_patterns(*self.IGNORED))
            elif source.exists():
                shutil.copy2(source, self.dir / name)
        self.src = self.dir / "src"
        # the interop driver's npm packages are large: link them instead of copying
        driver = Path("im_e2e/interop/driver/node_modules")
        if (root / "src" / driver).exists():
            os.symlink(root / "src" / driver, self.src / driver)

    def env(self, write_bytecode: bool = False) -> dict[str, str]:
        env = inner_env({"PYTHONPATH": str(self.src), "PYTHONDONTWRITEBYTECODE": "1"})
        if write_bytecode:
            del env["PYTHONDONTWRITEBYTECODE"]
        return env

    def forget_bytecode(self, module: str) -> None:
        """Drop the compiled copies of `module`: the baseline run leaves bytecode for every module
        (so each mutant run skips compiling and assertion-rewriting the rest), and a mutant written
        in the same second with the same size would otherwise pass the pyc's mtime+size check."""
        path = self.src / module
        for pyc in (path.parent / "__pycache__").glob(f"{path.stem}.*.pyc"):
            pyc.unlink(missing_ok=True)

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def area_command(oracle: str, junit: Path, workers: str, paths: Iterable[str] = (), stop_first: bool = True) -> list[str]:
    expr = " and ".join([f"({oracle})", *(f"not {m}" for m in EXCLUDED_MARKERS)])
    cmd = [sys.executable, "-m", "pytest", *paths, "-m", expr, "-p", "no:cacheprovider", "-q", "--target", "sandbox",
           "--im-no-diagnostics", f"--junitxml={junit}", "-o", "junit_family=xunit2"]
    if stop_first:
        cmd.append("-x")
    if workers not in ("0", ""):
        cmd += ["-n", workers]
    return cmd


def run_area(ws: Workspace, oracle: str, workers: str, timeout: float, paths: Iterable[str] = (),
             stop_first: bool = True, write_bytecode: bool = False,
             coverage_dir: Path | None = None) -> tuple[str, list[str], int, str]:
    """(outcome, failed test ids, passed count, output tail) of the oracle's tests on the workspace;
    with `coverage_dir`, every process of the run records there which sandbox lines ran."""
    with tempfile.TemporaryDirectory(prefix="im-e2e-mutant-") as tmp:
        junit = Path(tmp) / "junit.xml"
        command, env = area_command(oracle, junit, workers, paths, stop_first), ws.env(write_bytecode)
        if coverage_dir is not None:
            command[3:3] = ["-p", mutation_lines.PLUGIN]  # after `python -m pytest`: loaded before the suite
            env[mutation_lines.ENV] = str(coverage_dir)
        try:
            proc = subprocess.run(command, cwd=ws.root, env=env, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return "timeout", [], 0, f"timed out after {timeout:.0f} s"
        failed, passed = read_junit(junit) if junit.exists() else ([], 0)
        tail = (proc.stdout + proc.stderr)[-1500:]
        if failed:
            return "killed", failed, passed, tail
        if proc.returncode == 0 and passed:
            return "survived", [], passed, tail
        return "incompetent", [], passed, tail


NEVER_RAN = "no oracle test runs this statement (baseline coverage); not run"


def check_mutant(ws: Workspace, mutant: Mutant, oracle: str, workers: str, timeout: float,
                 equivalents: list[dict], confirm: bool = True,
                 executed: mutation_lines.ExecutedLines | None = None) -> MutantResult:
    reason = equivalent_reason(mutant, equivalents)
    if reason is not None:
        return MutantResult(mutant, "equivalent", reason=reason)
    path = ws.src / mutant.module
    original = path.read_text(encoding="utf-8")
    mutated = mutated_source(ws.src, mutant)
    if mutated is None:
        return MutantResult(mutant, "incompetent", reason="the operator made no change at this occurrence")
    if executed is not None and executed.never_ran(mutant.module, mutant.line, mutant.column):
        return MutantResult(mutant, "survived", diff=_diff(original, mutated, mutant.module), reason=NEVER_RAN)
    started = time.monotonic()
    ws.forget_bytecode(mutant.module)
    path.write_text(mutated, encoding="utf-8")
    try:
        outcome, failed, _passed, tail = run_area(ws, oracle, workers, timeout)
    finally:
        path.write_text(original, encoding="utf-8")
    result = MutantResult(mutant, outcome, killed_by=failed, seconds=round(time.monotonic() - started, 1),
                          diff=_diff(original, mutated, mutant.module))
    if outcome == "incompetent":
        result.reason = tail.strip().splitlines()[-1] if tail.strip() else "no tests ran"
    if outcome == "killed" and confirm:
        again, _f, _p, _t = run_area(ws, oracle, "0", timeout, paths=[failed[0]], stop_first=True)
        result.confirmed = again == "survived"
    return result


@dataclass
class AreaReport:
    area: str
    seed: int
    population: int
    results: list[MutantResult]
    baseline_seconds: float = 0.0
    oracle: str = ""

    def count(self, outcome: str) -> int:
        return sum(r.outcome == outcome for r in self.results)

    @property
    def score(self) -> tuple[int, int]:
        """(killed incl. timeouts, counted) — equivalent and incompetent mutants are not counted."""
        killed = self.count("killed") + self.count("timeout")
        return killed, killed + self.count("survived")


class BaselineRed(RuntimeError):
    pass


def run_area_mutation(root: Path, area: str, size: int | None = 20, seed: int = 1, workers: str = "2",
                      timeout: float = MUTANT_TIMEOUT, confirm: bool = True,
                      progress: Callable[[MutantResult], None] | None = None,
                      use_coverage: bool = True) -> AreaReport:
    areas = load_areas(root)
    if area not in areas:
        raise KeyError(f"no modules listed for area {area!r} in {AREAS_FILE} (known: {', '.join(sorted(areas))})")
    oracle = load_oracles(root)[area]
    ws = Workspace(root)
    try:
        population = enumerate_mutants(ws.src, areas[area])
        chosen = sample(population, size, seed)
        started = time.monotonic()
        coverage_dir = ws.dir / "coverage" if use_coverage else None
        if coverage_dir is not None:
            coverage_dir.mkdir()
        outcome, failed, _passed, tail = run_area(ws, oracle, workers, timeout * 2, stop_first=False,
                                                  write_bytecode=True, coverage_dir=coverage_dir)
        if outcome != "survived":
            raise BaselineRed(f"the {area} tests are not green without mutants ({outcome}: {failed[:3]}): {tail[-400:]}")
        try:
            executed = mutation_lines.ExecutedLines(coverage_dir, ws.src, areas[area]) if coverage_dir else None
        except mutation_lines.NothingRecorded as exc:
            raise BaselineRed(str(exc)) from exc
        report = AreaReport(area, seed, len(population), [], round(time.monotonic() - started, 1), oracle)
        equivalents = load_equivalents(root)
        for mutant in chosen:
            result = check_mutant(ws, mutant, oracle, workers, timeout, equivalents, confirm, executed)
            report.results.append(result)
            if progress is not None:
                progress(result)
        return report
    finally:
        ws.close()


def format_result(result: MutantResult) -> str:
    head = f"{result.outcome:11} {result.mutant.id:70} {result.seconds:5.0f}s"
    if result.outcome == "killed":
        confirmed = {True: "", False: " (NOT confirmed: fails unmutated too)", None: ""}[result.confirmed]
        return f"{head}  by {result.killed_by[0]}{confirmed}"
    if result.reason:
        return f"{head}  {result.reason}"
    return head


def format_report(report: AreaReport) -> str:
    killed, counted = report.score
    pct = 100.0 * killed / counted if counted else 0.0
    oracle = f", oracle -m \"{report.oracle}\"" if report.oracle and report.oracle != report.area else ""
    lines = [f"area {report.area}: {len(report.results)} of {report.population} mutants (seed {report.seed}{oracle})",
             f"score: {killed}/{counted} killed ({pct:.0f} %); timeouts {report.count('timeout')}, "
             f"equivalent {report.count('equivalent')}, incompetent {report.count('incompetent')}"]
    survivors = [r for r in report.results if r.outcome == "survived"]
    if survivors:
        lines.append("survivors:")
        for r in survivors:
            lines.append(f"  {r.mutant.id}\n    {r.mutant.source_line.strip()}\n" +
                         "\n".join("    " + d for d in r.diff.splitlines()[2:]))
    return "\n".join(lines)


def to_json(report: AreaReport) -> str:
    killed, counted = report.score
    return json.dumps({"area": report.area, "oracle": report.oracle or report.area, "seed": report.seed,
                       "population": report.population,
                       "score": {"killed": killed, "counted": counted},
                       "mutants": [{**asdict(r), "id": r.mutant.id} for r in report.results]}, indent=2)
