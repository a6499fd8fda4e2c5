"""Run reports: results.json per run, the history store, report.html, Allure HTML.

    reports/<run-id>/results.json      every test: outcome, owner/areas, wire log and diagnostics of failures
    reports/<run-id>/junit.xml         pytest --junitxml
    reports/<run-id>/allure-results/   allure-pytest --alluredir (allure-report/ when the CLI is present)
    reports/<run-id>/report.html       one self-contained page
    reports/history.sqlite             one row per run and test: trends, flaky tests
"""
from __future__ import annotations

from pathlib import Path

from . import allure, html, results
from .history import HISTORY_FILE, History


def publish(run_dir: Path, history_path: Path | None) -> Path:
    """Record the run in the history store and (re)build its report.html.

    Raises html.ReportUnavailable when the `report` extra (jinja2) is not installed."""
    run = results.read(run_dir)
    if history_path is not None:
        History(history_path).record(run)
    return html.build(run_dir, history_path)


def run_dirs(reports_dir: Path) -> list[Path]:
    """Run directories holding results, oldest first (by when their results were written)."""
    found = list(reports_dir.glob(f"*/{results.RESULTS_FILE}"))
    return [p.parent for p in sorted(found, key=lambda p: (p.stat().st_mtime, p.parent.name))]


__all__ = ["HISTORY_FILE", "History", "allure", "html", "publish", "results", "run_dirs"]
