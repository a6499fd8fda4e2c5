"""Do-not-disturb and push settings: a user's silent mode for everything (scope `all`) or for one
conversation (scope `user` + peer, `chatgroup` + group id), and the user's push language."""
from __future__ import annotations

from dataclasses import dataclass

from .db import Database

ALL = "all"


@dataclass(frozen=True, slots=True)
class SilentMode:
    remind_type: str | None = None      # ALL | AT | NONE
    ignore_until: int | None = None     # epoch ms
    ignore_interval: str | None = None  # "H:M-H:M"

    @property
    def empty(self) -> bool:
        return self.remind_type is None and self.ignore_until is None and self.ignore_interval is None


class PushSettingsStore:
    def __init__(self, db: Database):
        self.db = db

    def get(self, username: str, scope: str, target: str = "") -> SilentMode:
        row = self.db.one("SELECT remind_type, ignore_until, ignore_interval FROM silent_modes"
                          " WHERE username = ? AND scope = ? AND target = ?", (username, scope, target))
        return SilentMode(*row) if row else SilentMode()

    def put(self, username: str, scope: str, target: str, mode: SilentMode) -> None:
        """Replace the setting; an empty one removes it."""
        if mode.empty:
            self.db.write("DELETE FROM silent_modes WHERE username = ? AND scope = ? AND target = ?",
                          (username, scope, target))
            return
        self.db.write("INSERT OR REPLACE INTO silent_modes (username, scope, target, remind_type, ignore_until,"
                      " ignore_interval) VALUES (?, ?, ?, ?, ?, ?)",
                      (username, scope, target, mode.remind_type, mode.ignore_until, mode.ignore_interval))

    def with_remind_type(self, username: str, after: tuple[str, str] | None, limit: int) -> list[tuple[str, str, str]]:
        """(scope, target, remind_type) of the user's conversations with a remind type, in (scope, target) order."""
        sql = ("SELECT scope, target, remind_type FROM silent_modes WHERE username = ? AND scope != ?"
               " AND remind_type IS NOT NULL")
        params: list = [username, ALL]
        if after is not None:
            sql += " AND (scope, target) > (?, ?)"
            params += list(after)
        return [tuple(r) for r in self.db.all(sql + " ORDER BY scope, target LIMIT ?", [*params, limit])]

    def language(self, username: str) -> str:
        return self.db.scalar("SELECT language FROM push_languages WHERE username = ?", (username,)) or ""

    def set_language(self, username: str, language: str) -> None:
        self.db.write("INSERT OR REPLACE INTO push_languages (username, language) VALUES (?, ?)", (username, language))

    def delete_user(self, username: str) -> None:
        self.db.write("DELETE FROM silent_modes WHERE username = ?", (username,))
        self.db.write("DELETE FROM push_languages WHERE username = ?", (username,))
