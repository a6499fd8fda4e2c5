"""REST calls of the load engine within the service's limits: a call answered 429 (`reach_limit`,
docs/protocol/rest.md §8.2, or `resource_limited`) is retried after a backoff, honouring `Retry-After` when the
service sends one, and every retry is counted for the report.

    throttle = Throttle(attempts=8)
    data = throttle.must(admin.register_users, batch)      # the must_ form of any bare @rest_call
    throttle.figures()   # {"rest_429": 3, "rest_retry_wait_s": 1.5, "rest_gave_up": 0}
"""
from __future__ import annotations

import threading
import time
from typing import Any, Callable

import requests

from im_client.errors import checked_body
from im_client.rest_call import answer

THROTTLED = 429
BASE_DELAY_S = 0.25
MAX_DELAY_S = 10.0


def retry_after(resp: requests.Response) -> float | None:
    """Seconds from a `Retry-After: <seconds>` header (an HTTP date is not used by these services)."""
    value = resp.headers.get("Retry-After", "").strip()
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


class Throttle:
    def __init__(self, attempts: int = 8, base_s: float = BASE_DELAY_S, cap_s: float = MAX_DELAY_S,
                 sleep: Callable[[float], None] = time.sleep):
        self.attempts, self.base_s, self.cap_s, self.sleep = attempts, base_s, cap_s, sleep
        self.throttled = 0        # 429 answers seen
        self.waited_s = 0.0
        self.gave_up = 0          # calls still 429 after every attempt
        self._lock = threading.Lock()

    def call(self, bare: Callable[..., requests.Response], *args: Any, **kw: Any) -> requests.Response:
        """The bare call, again after each 429 (up to `attempts` in all); the last answer."""
        for attempt in range(self.attempts):
            resp = bare(*args, **kw)
            if resp.status_code != THROTTLED:
                return resp
            if attempt == self.attempts - 1:
                break
            delay = retry_after(resp)
            delay = min(self.cap_s, self.base_s * 2 ** attempt) if delay is None else delay
            with self._lock:
                self.throttled += 1
                self.waited_s += delay
            self.sleep(delay)
        with self._lock:
            self.throttled += 1
            self.gave_up += 1
        return resp

    def must(self, bare: Callable[..., requests.Response], *args: Any,
             unwrap: Callable[[Any], Any] = answer, **kw: Any) -> Any:
        """`call`, then the data of a 200 answer or RestError (the `must_` rule of im_client)."""
        return unwrap(checked_body(self.call(bare, *args, **kw)))

    def figures(self) -> dict[str, Any]:
        return {"rest_429": self.throttled, "rest_retry_wait_s": round(self.waited_s, 2), "rest_gave_up": self.gave_up}
