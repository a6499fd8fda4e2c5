"""`report.html`: one self-contained page per run (inline CSS, plots as base64 PNG, no network).

Built from results.json and the history store; `im-e2e report` rebuilds it at any time.
"""
from __future__ import annotations

import time
from pathlib import Path

from . import results as results_mod
from .history import History
from .results import CATEGORIES, CATEGORY_LABELS, RunResults

REPORT_FILE = "report.html"
TEMPLATE = "report.html.j2"
SLOWEST = 15
TREND_RUNS = 30


class ReportUnavailable(RuntimeError):
    """The HTML report needs the `report` extra (jinja2, matplotlib)."""


def _environment():
    try:
        import jinja2
    except ImportError as exc:
        raise ReportUnavailable("report.html needs jinja2: pip install -e '.[report]'") from exc
    env = jinja2.Environment(loader=jinja2.PackageLoader("im_e2e.reports", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["when"] = lambda ts: time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(ts)) if ts else "–"
    env.filters["secs"] = _secs
    env.filters["user_args"] = _user_args
    env.filters["head"] = lambda text, n=2: "\n".join(str(text).splitlines()[:n])
    return env


PLUMBING = ("--junitxml", "--alluredir", "--im-report-dir", "--im-history", "--im-label", "--im-progress",
            "--im-health-check")


def _user_args(args: list[str]) -> list[str]:
    """The run's arguments without the report plumbing `im-e2e run` adds."""
    out, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg.split("=", 1)[0] in PLUMBING:
            skip = "=" not in arg and arg not in ("--im-health-check",)
        else:
            out.append(arg)
    return out


def _secs(value: float) -> str:
    value = float(value or 0)
    if value < 60:
        return f"{value:.2f}s" if value < 10 else f"{value:.1f}s"
    minutes, seconds = divmod(int(value), 60)
    return f"{minutes}m{seconds:02d}s" if minutes < 60 else f"{minutes // 60}h{minutes % 60:02d}m"


def _trends(run: RunResults, history: History | None) -> tuple[dict[str, str], list, str]:
    """Plots (or a note why there are none), the flaky table."""
    if history is None:
        return {}, [], "No history store given."
    label = run.label
    runs = history.runs(label=label, target=run.target, limit=TREND_RUNS, until=run.started + 1)
    if len(runs) < 2:  # a new label: show the trend of everything on this target instead
        label = ""
        runs = history.runs(target=run.target, limit=TREND_RUNS, until=run.started + 1)
    flaky = history.flaky()
    try:
        from . import plots

        images = plots.trends(runs, history.flaky_in_runs([r.run_id for r in runs]), current=run.run_id)
    except ImportError:
        return {}, flaky, "Trend plots need matplotlib: pip install -e '.[report]'."
    scope = " ".join(filter(None, [f"labelled {label}" if label else "", f"on {run.target}" if run.target else ""]))
    return images, flaky, f"Last {len(runs)} run(s) {scope}".rstrip() + "; the dotted line marks this run."


def render(run: RunResults, history: History | None = None) -> str:
    env = _environment()
    images, flaky, trend_note = _trends(run, history)
    tests = run.tests
    slowest = sorted((t for t in tests if t.category != "skipped"), key=lambda t: -t.duration)[:SLOWEST]
    failures = sorted(run.failures(), key=lambda t: (t.owner, t.nodeid))
    counts = run.counts()  # "rule differs" only has a column on runs that have some (real targets)
    return env.get_template(TEMPLATE).render(
        run=run, counts=counts, categories=[c for c in CATEGORIES if c != "rule_differs" or counts[c]],
        labels=CATEGORY_LABELS,
        summary=results_mod.summary_by_owner(run), slowest=slowest, failures=failures,
        rule_differs=sorted((t for t in tests if t.category == "rule_differs"), key=lambda t: t.nodeid),
        not_possible=[t for t in tests if t.category == "not_possible"],
        skipped=[t for t in tests if t.category == "skipped"],
        images=images, trend_note=trend_note, flaky=flaky[:20],
        flaky_here={f.nodeid for f in flaky} & {t.nodeid for t in tests},
        generated=time.time())


def build(run_dir: Path, history_path: Path | None = None) -> Path:
    """Write `run_dir/report.html` from `run_dir/results.json` (and the history store, if any)."""
    run = results_mod.read(run_dir)
    history = History(history_path) if history_path is not None else None
    path = run_dir / REPORT_FILE
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(render(run, history), encoding="utf-8")
    tmp.replace(path)
    return path
