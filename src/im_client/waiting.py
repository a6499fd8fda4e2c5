"""Polling a condition that no event announces (a REST-visible state), with a deadline."""
from __future__ import annotations

import time
from typing import Callable, TypeVar

from .errors import Timeout

T = TypeVar("T")


def wait_until(probe: Callable[[], T], description: str, timeout: float = 10.0,
               interval: float = 0.05) -> T:
    """Call `probe` until it returns something truthy; return that. The interval grows to 0.5 s."""
    deadline = time.monotonic() + timeout
    last: T | None = None
    while True:
        last = probe()
        if last:
            return last
        if time.monotonic() >= deadline:
            raise Timeout(f"waited {timeout:g}s for {description}; last probe returned {last!r}")
        time.sleep(interval)
        interval = min(interval * 1.5, 0.5)
