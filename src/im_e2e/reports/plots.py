"""Trend plots across past runs, as base64 PNGs for the self-contained report (matplotlib, Agg)."""
from __future__ import annotations

import base64
import io
import time

from .history import RunRow

GREEN, RED, BLUE, ORANGE = "#2e7d32", "#c62828", "#1565c0", "#ef6c00"


def _figure(title: str):
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 2.6), dpi=100)
    ax.set_title(title, fontsize=10, loc="left")
    ax.grid(axis="y", alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig, ax


def _png(fig) -> str:
    from matplotlib import pyplot as plt

    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _labels(runs: list[RunRow]) -> list[str]:
    return [time.strftime("%m-%d %H:%M", time.localtime(r.started)) for r in runs]


def _xaxis(ax, runs: list[RunRow], current: str | None) -> None:
    xs = range(len(runs))
    step = max(1, len(runs) // 10)
    ax.set_xticks(list(xs)[::step])
    ax.set_xticklabels(_labels(runs)[::step], rotation=30, ha="right", fontsize=7)
    ax.tick_params(axis="y", labelsize=8)
    for i, run in enumerate(runs):
        if run.run_id == current:
            ax.axvline(i, color="#888", linestyle=":", linewidth=1)


def pass_rate(runs: list[RunRow], current: str | None = None) -> str:
    fig, ax = _figure("Pass rate (passed / (passed + failed))")
    points = [(i, r.pass_rate * 100) for i, r in enumerate(runs) if r.pass_rate is not None]
    bottom = 0.0
    if points:
        xs, ys = zip(*points)
        bottom = max(0.0, (min(ys) - 5) // 10 * 10)  # a dip from 100 to 97 % stays visible
        ax.plot(xs, ys, marker="o", markersize=4, color=GREEN)
        ax.fill_between(xs, ys, bottom, color=GREEN, alpha=0.08)
        ax.annotate(f"{ys[-1]:.1f}%", (xs[-1], ys[-1]), textcoords="offset points", xytext=(-4, -12),
                    ha="right", fontsize=8, color=GREEN)
    ax.set_ylim(bottom, 101)
    ax.set_ylabel("%", fontsize=8)
    _xaxis(ax, runs, current)
    return _png(fig)


def duration(runs: list[RunRow], current: str | None = None) -> str:
    fig, ax = _figure("Run duration")
    minutes = max((r.duration for r in runs), default=0) >= 120
    values = [r.duration / 60 if minutes else r.duration for r in runs]
    colors = [RED if r.failed else BLUE for r in runs]
    ax.bar(range(len(runs)), values, color=colors, width=0.6)
    ax.set_ylabel("min" if minutes else "s", fontsize=8)
    _xaxis(ax, runs, current)
    return _png(fig)


def flaky(runs: list[RunRow], flaky_counts: dict[str, int], current: str | None = None) -> str:
    fig, ax = _figure("Flaky tests per run (failed and passed on the same commit)")
    counts = [flaky_counts.get(r.run_id, 0) for r in runs]
    ax.bar(range(len(runs)), counts, color=ORANGE, width=0.6)
    ax.set_ylim(0, max(counts, default=0) + 1)
    ax.yaxis.get_major_locator().set_params(integer=True)
    _xaxis(ax, runs, current)
    return _png(fig)


def trends(runs: list[RunRow], flaky_counts: dict[str, int], current: str | None = None) -> dict[str, str]:
    """{"pass-rate": b64, "duration": b64, "flaky": b64}; raises ImportError without matplotlib."""
    return {"pass-rate": pass_rate(runs, current), "duration": duration(runs, current),
            "flaky": flaky(runs, flaky_counts, current)}
