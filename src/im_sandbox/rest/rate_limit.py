"""The REST call-rate limit of an app (docs/protocol/rest.md §8.2: 100 calls/s per appkey on the real service,
429 `reach_limit` beyond). The sandbox's is the app setting `rest_rate_limit` (calls per second,
0 = off, the default): a fixed one-second window counts every REST call under /{org}/{app} but
the sandbox's own admin endpoint (`app_config`, so the limit can always be lifted); a call over
the limit is answered 429 `reach_limit` "This request has reached api limit" and not carried out.
No `Retry-After` header (none is documented). Sandbox choice `rest-rate-limit`."""
from __future__ import annotations

import time

from .envelope import RestError

EXEMPT_PREFIX = "/app_config"


class RateLimit:
    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.window = -1
        self.calls = 0

    def admit(self, limit: int, route_path: str) -> None:
        """Count one call; RestError 429 when the window already had `limit` calls."""
        if limit <= 0 or route_path.startswith(EXEMPT_PREFIX):
            return
        window = int(self.clock())
        if window != self.window:
            self.window, self.calls = window, 0
        if self.calls >= limit:
            raise RestError(429, "reach_limit", "This request has reached api limit")
        self.calls += 1
