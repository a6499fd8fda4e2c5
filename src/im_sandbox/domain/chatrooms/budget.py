"""The per-room delivery budget that decides which room messages are dropped under load.

App setting `chatroom_msg_budget = {"window_ms": W, "low": L, "normal": N, "high": H}` with
L <= N <= H. A room message of priority p is delivered only while the room delivered fewer than
p's ceiling in the last W ms (a sliding window over delivered messages; dropped ones do not
count). As a room gets busier, low messages stop first (at L), then normal ones (at N), and high
ones last (at H): "drops low before normal before high". `window_ms` 0 turns the budget off.
"""
from __future__ import annotations

import time
from collections import deque

HIGH, NORMAL, LOW = "high", "normal", "low"
# Meta.ext chatroom_msg_tag (docs/protocol/msync.md §4.2): 0 high, 2 low, anything else normal
TAG_PRIORITY = {0: HIGH, 1: NORMAL, 2: LOW}
PRIORITY_TAG = {HIGH: 0, NORMAL: 1, LOW: 2}


def priority_of_tag(tag: int | None) -> str:
    return TAG_PRIORITY.get(tag, NORMAL) if tag is not None else NORMAL


class PriorityBudget:
    def __init__(self) -> None:
        self._delivered: dict[str, deque[float]] = {}

    def admit(self, room_id: str, priority: str, budget: dict) -> bool:
        """True when the message may be delivered (and counts it); False = drop it."""
        window = budget["window_ms"] / 1000.0
        if window <= 0:
            return True
        now = time.monotonic()
        recent = self._delivered.get(room_id)
        if recent is None:
            recent = self._delivered[room_id] = deque()
        while recent and now - recent[0] >= window:
            recent.popleft()
        if len(recent) >= budget[priority]:
            return False
        recent.append(now)
        return True

    def forget(self, room_id: str) -> None:
        self._delivered.pop(room_id, None)
