"""The offline limit of conference queues: a device that is not connected keeps at most N items of
one group queue, the newest; older ones are evicted (not lost: the caller reports each eviction).

Counting a queue on every message would cost a range scan per member per message, so the ids of
each tracked (owner, device, queue) are mirrored in memory, oldest first: loaded from the table the
first time the key is seen offline, then appended to per delivery. Whatever the mirror holds beyond
N is deleted by primary key. The table only ever loses items behind the mirror's back (acks,
recalls, a device taking over the pending bucket), so the mirror holds every real item and maybe
some already gone: deleting one of those is a no-op and is not reported. A delivery to a
connected device drops the key, because items then arrive that the mirror does not see; the next
offline delivery reloads it.
"""
from __future__ import annotations

from collections import deque
from typing import Iterable

from .db import Database

Key = tuple[str, str, str]  # (owner, device, queue key)


class OfflineLimit:
    _MAX_TRACKED = 200_000

    def __init__(self, db: Database):
        self.db = db
        self._ids: dict[Key, deque[int]] = {}

    def _load(self, key: Key) -> deque[int]:
        rows = self.db.all("SELECT msg_id FROM queue_items WHERE owner = ? AND device = ? AND qkey = ?"
                           " ORDER BY msg_id", key)
        return deque(r[0] for r in rows)

    def forget(self, keys: Iterable[Key]) -> None:
        """Keys that got an item while connected: reload them at their next offline delivery."""
        tracked = self._ids
        for key in keys:
            tracked.pop(key, None)

    def enforce(self, keys: Iterable[Key], msg_id: int, limit: int) -> list[tuple[Key, list[int]]]:
        """Call after `msg_id` was queued for each (offline) key; returns the evicted ids per key."""
        tracked = self._ids
        if len(tracked) > self._MAX_TRACKED:
            tracked.clear()
        evicted: list[tuple[Key, list[int]]] = []
        for key in keys:
            ids = tracked.get(key)
            if ids is None:
                ids = tracked[key] = self._load(key)
            elif not ids or ids[-1] != msg_id:
                ids.append(msg_id)
            if len(ids) <= limit:
                continue
            gone = []
            while len(ids) > limit:
                old = ids.popleft()
                if self.db.write("DELETE FROM queue_items WHERE owner = ? AND device = ? AND qkey = ? AND msg_id = ?",
                                 (*key, old)):
                    gone.append(old)
            if gone:
                evicted.append((key, gone))
        return evicted
