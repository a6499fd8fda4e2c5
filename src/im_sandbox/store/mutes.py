"""Global (app-level) user mutes, per scope (docs/protocol/rest.md §4.1).

One row per (user, scope) while the mute lasts: `until_ms` is when it ends (epoch ms), -1 for a
permanent mute. Sends read the in-memory mirror (one dict lookup per message); every write goes
through this class, so the mirror never goes stale. Expired rows are dropped lazily.
"""
from __future__ import annotations

import math

from ..ids import now_ms
from .db import Database

SCOPES = ("chat", "groupchat", "chatroom")
PERMANENT = -1


class MuteStore:
    def __init__(self, db: Database):
        self.db = db
        self._until: dict[str, dict[str, int]] = {}
        for username, scope, until in db.all("SELECT username, scope, until_ms FROM mutes"):
            self._until.setdefault(username, {})[scope] = until

    def set(self, username: str, scope: str, seconds: int) -> None:
        """Mute for `seconds` (-1 = permanent); 0 lifts the mute of that scope."""
        if scope not in SCOPES:
            raise ValueError(f"unknown mute scope {scope!r}")
        if seconds == 0:
            self._forget(username, scope)
            self.db.write("DELETE FROM mutes WHERE username = ? AND scope = ?", (username, scope))
            return
        now = now_ms()
        until = PERMANENT if seconds == PERMANENT else now + seconds * 1000
        self._until.setdefault(username, {})[scope] = until
        self.db.write("INSERT OR REPLACE INTO mutes (username, scope, until_ms, created) VALUES (?, ?, ?, ?)",
                      (username, scope, until, now))

    def is_muted(self, username: str, scope: str) -> bool:
        """Whether a message of `username` in `scope` (chat / groupchat / chatroom) is refused now."""
        scopes = self._until.get(username)
        if not scopes:
            return False
        until = scopes.get(scope)
        return until is not None and (until == PERMANENT or until > now_ms())

    def remaining(self, username: str) -> dict[str, int]:
        """Seconds left per scope, rounded up (so 0 means the mute is over); -1 = permanent."""
        now = now_ms()
        scopes = self._until.get(username) or {}
        return {scope: _seconds_left(scopes.get(scope), now) for scope in SCOPES}

    def page(self, page_num: int, page_size: int) -> list[tuple[str, str, int]]:
        """Active mutes, one row (user, scope, seconds left) each, oldest first."""
        self.purge_expired()
        now = now_ms()
        rows = self.db.all("SELECT username, scope, until_ms FROM mutes ORDER BY created, username, scope"
                           " LIMIT ? OFFSET ?", (page_size, (page_num - 1) * page_size))
        return [(user, scope, _seconds_left(until, now)) for user, scope, until in rows]

    def purge_expired(self) -> None:
        now = now_ms()
        expired = self.db.all("SELECT username, scope FROM mutes WHERE until_ms != ? AND until_ms <= ?",
                              (PERMANENT, now))
        if expired:
            for username, scope in expired:
                self._forget(username, scope)
            self.db.write("DELETE FROM mutes WHERE until_ms != ? AND until_ms <= ?", (PERMANENT, now))

    def delete_user(self, username: str) -> None:
        self._until.pop(username, None)
        self.db.write("DELETE FROM mutes WHERE username = ?", (username,))

    def _forget(self, username: str, scope: str) -> None:
        scopes = self._until.get(username)
        if scopes is not None:
            scopes.pop(scope, None)
            if not scopes:
                del self._until[username]


def _seconds_left(until: int | None, now: int) -> int:
    if until is None:
        return 0
    if until == PERMANENT:
        return PERMANENT
    return max(0, math.ceil((until - now) / 1000))
