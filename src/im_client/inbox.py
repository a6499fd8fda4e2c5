"""Everything a session received, in arrival order, and waiting on it with a timeout.

Nothing is consumed: wait_for() returns the first item (ever received) that matches, so a test
can wait for an event that arrived before it started waiting.
"""
from __future__ import annotations

import threading
import time
from typing import Any, Callable

from .errors import WaitTimeout

Predicate = Callable[[Any], bool]
DEFAULT_TIMEOUT = 10.0


def describe(pred: Predicate) -> str:
    return getattr(pred, "description", None) or getattr(pred, "__name__", None) or repr(pred)


def summarize(item: Any) -> str:
    summary = getattr(item, "summary", None)
    return summary() if callable(summary) else repr(item)


class Inbox:
    def __init__(self, owner: str = ""):
        self.owner = owner
        self._items: list[Any] = []
        self._cond = threading.Condition()
        self._closed_reason: str | None = None

    def put(self, item: Any) -> None:
        with self._cond:
            self._items.append(item)
            self._cond.notify_all()

    def put_many(self, items: list[Any]) -> None:
        if not items:
            return
        with self._cond:
            self._items.extend(items)
            self._cond.notify_all()

    def mark_closed(self, reason: str) -> None:
        with self._cond:
            self._closed_reason = reason
            self._cond.notify_all()

    def items(self, pred: Predicate | None = None) -> list[Any]:
        with self._cond:
            snapshot = list(self._items)
        return snapshot if pred is None else [i for i in snapshot if pred(i)]

    def __len__(self) -> int:
        return len(self._items)

    def wait_for_all(self, pred: Predicate, count: int, timeout: float = DEFAULT_TIMEOUT) -> list[Any]:
        """Wait until at least `count` items match; return the first `count` of them."""
        deadline = time.monotonic() + timeout
        scanned, found = 0, []
        with self._cond:
            while True:
                for item in self._items[scanned:]:
                    if pred(item):
                        found.append(item)
                scanned = len(self._items)
                if len(found) >= count:
                    return found[:count]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise WaitTimeout(self._timeout_message(pred, count, len(found), timeout))
                self._cond.wait(remaining)

    def wait_for(self, pred: Predicate, timeout: float = DEFAULT_TIMEOUT) -> Any:
        return self.wait_for_all(pred, 1, timeout)[0]

    def _timeout_message(self, pred: Predicate, count: int, found: int, timeout: float) -> str:
        items = self._items
        lines = [f"{self.owner}: waited {timeout:g}s for {count} x {describe(pred)}, matched {found}; "
                 f"{len(items)} item(s) arrived:"]
        shown = items[-25:]
        if len(items) > len(shown):
            lines.append(f"  … {len(items) - len(shown)} earlier item(s) not shown")
        lines += [f"  {summarize(i)}" for i in shown] or ["  (nothing)"]
        if self._closed_reason:
            lines.append(f"  connection closed: {self._closed_reason}")
        return "\n".join(lines)
