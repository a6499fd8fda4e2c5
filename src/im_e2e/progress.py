"""Progress of a long run, one plain line at a time (safe in CI logs: no cursor tricks).

    [im-e2e] 120/560 (21%): 115 passed, 3 failed, 2 not possible, 0 skipped; 2m10s elapsed, ~8m left

A line is written at most every `interval` seconds (0: after every test) and once at the end; a
failure is announced on a line of its own when it happens.
"""
from __future__ import annotations

import time
from typing import Callable

from .reports.results import CATEGORIES, CATEGORY_LABELS


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes}m{seconds:02d}s" if minutes < 60 else f"{minutes // 60}h{minutes % 60:02d}m"


class Progress:
    def __init__(self, write: Callable[[str], None], interval: float = 30.0,
                 clock: Callable[[], float] = time.monotonic):
        self.write = write
        self.interval = interval
        self.clock = clock
        self.started = clock()
        self.last_line = self.started
        self.total: int | None = None
        self.counts = dict.fromkeys(CATEGORIES, 0)

    @property
    def done(self) -> int:
        return sum(self.counts.values())

    def set_total(self, total: int) -> None:
        self.total = total

    def line(self) -> str:
        elapsed = self.clock() - self.started
        counts = ", ".join(f"{self.counts[c]} {CATEGORY_LABELS[c]}" for c in CATEGORIES
                           if self.counts[c] or c != "rule_differs")  # only on real targets
        if self.total:
            head = f"{self.done}/{self.total} ({100 * self.done // self.total}%)"
            left = ""
            if 0 < self.done < self.total:
                left = f", ~{_clock(elapsed / self.done * (self.total - self.done))} left"
        else:
            head, left = f"{self.done} done", ""
        return f"[im-e2e] {head}: {counts}; {_clock(elapsed)} elapsed{left}"

    def finished(self, nodeid: str, category: str, owner: str = "", duration: float = 0.0) -> None:
        self.counts[category] = self.counts.get(category, 0) + 1
        if category == "failed":
            self.write(f"[im-e2e] FAILED {nodeid} ({', '.join(filter(None, [owner, f'{duration:.1f}s']))})")
        now = self.clock()
        if now - self.last_line >= self.interval or (self.total and self.done >= self.total):
            self.last_line = now
            self.write(self.line())
