"""Which sandbox lines an area's tests run: a pytest plugin for the baseline run of `im-e2e mutation`.

Loaded with `-p im_e2e.mutation_lines` when IM_E2E_MUTATION_COVERAGE names a directory, it starts
coverage.py at import (before the suite imports the sandbox, so module-level lines count) in every
process of the run, the xdist workers included; the sandbox runs in threads of those processes, which
coverage follows. Each process writes its own data file there. `ExecutedLines` then reads the
combined data: a mutant on a statement that no oracle test ran cannot be caught by them, so
`im-e2e mutation` reports it as a survivor without running the area.
"""
from __future__ import annotations

import ast
import os
from pathlib import Path

ENV = "IM_E2E_MUTATION_COVERAGE"
PLUGIN = "im_e2e.mutation_lines"


def _start() -> object | None:
    directory = os.environ.get(ENV)
    if not directory:
        return None
    import coverage

    cov = coverage.Coverage(data_file=os.path.join(directory, ".coverage"), data_suffix=True,
                            source_pkgs=["im_sandbox"], branch=False)
    cov.start()
    return cov


_COVERAGE = _start()


def pytest_unconfigure(config) -> None:  # noqa: ARG001 - pytest hook signature
    if _COVERAGE is not None:
        _COVERAGE.stop()
        _COVERAGE.save()


class NothingRecorded(RuntimeError):
    """The baseline run left no coverage data: trusting it would call every mutant a survivor."""


class ExecutedLines:
    """Statements of the measured modules: which ones exist and which ones ran."""

    def __init__(self, directory: Path, src: Path, modules: list[str]):
        import coverage

        cov = coverage.Coverage(data_file=str(directory / ".coverage"))
        cov.combine([str(directory)], keep=True)
        cov.load()
        if not cov.get_data().measured_files():
            raise NothingRecorded(f"the baseline run recorded no coverage in {directory}; "
                                  "rerun with --run-every-mutant")
        self._statements: dict[str, set[int]] = {}
        self._missing: dict[str, set[int]] = {}
        for module in modules:
            _name, statements, _excluded, missing, _text = cov.analysis2(str(src / module))
            self._statements[module], self._missing[module] = set(statements), set(missing)
        self._trees = {module: ast.parse((src / module).read_text(encoding="utf-8")) for module in modules}

    def never_ran(self, module: str, line: int, column: int) -> bool:
        """True when the statement holding (line, column) is one coverage measures and no test ran it.
        Anything uncertain (a position outside every statement, a line coverage does not count) is
        False: the mutant is then run as usual."""
        statement = _innermost_statement(self._trees[module], line, column)
        if statement is None or statement.lineno not in self._statements.get(module, ()):
            return False
        return statement.lineno in self._missing[module]


def _innermost_statement(tree: ast.AST, line: int, column: int) -> ast.stmt | ast.excepthandler | None:
    found = None
    for node in ast.walk(tree):
        # an `except X:` clause runs only when an exception reaches it: it counts as its own statement
        if isinstance(node, (ast.stmt, ast.excepthandler)) and (node.lineno, node.col_offset) <= (line, column) < (
                node.end_lineno or node.lineno, node.end_col_offset or 0):
            if found is None or (node.lineno, node.col_offset) >= (found.lineno, found.col_offset):
                found = node
    return found
