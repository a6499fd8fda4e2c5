"""Message reactions (docs/protocol/rest.md §7): who added which reaction to which message, in order."""
from __future__ import annotations

from dataclasses import dataclass

from ..ids import now_ms
from .db import Database


@dataclass(slots=True)
class ReactionSummary:
    reaction: str
    count: int
    first_users: list[str]   # the earliest users, at most `first` of them


class ReactionStore:
    def __init__(self, db: Database):
        self.db = db

    def add(self, msg_id: int, reaction: str, username: str) -> tuple[int, int] | None:
        """Record the reaction; returns (row number, created ms), or None when the user already has it."""
        created = now_ms()
        cur = self.db.write(
            "INSERT OR IGNORE INTO reactions (msg_id, reaction, username, created) VALUES (?, ?, ?, ?)",
            (msg_id, reaction, username, created))
        if not cur:
            return None
        return self.db.scalar("SELECT n FROM reactions WHERE msg_id = ? AND reaction = ? AND username = ?",
                              (msg_id, reaction, username)), created

    def remove(self, msg_id: int, reaction: str, username: str) -> bool:
        return self.db.write("DELETE FROM reactions WHERE msg_id = ? AND reaction = ? AND username = ?",
                             (msg_id, reaction, username)) > 0

    def distinct(self, msg_id: int) -> int:
        """How many different reactions the message carries."""
        return self.db.scalar("SELECT COUNT(DISTINCT reaction) FROM reactions WHERE msg_id = ?", (msg_id,))

    def has_reaction(self, msg_id: int, reaction: str) -> bool:
        return self.db.one("SELECT 1 FROM reactions WHERE msg_id = ? AND reaction = ? LIMIT 1",
                           (msg_id, reaction)) is not None

    def has(self, msg_id: int, reaction: str, username: str) -> bool:
        return self.db.one("SELECT 1 FROM reactions WHERE msg_id = ? AND reaction = ? AND username = ?",
                           (msg_id, reaction, username)) is not None

    def summary(self, msg_id: int, first: int = 3) -> list[ReactionSummary]:
        """Every reaction of the message (in the order they were first added) with its count."""
        rows = self.db.all("SELECT reaction, username FROM reactions WHERE msg_id = ? ORDER BY n", (msg_id,))
        by_reaction: dict[str, ReactionSummary] = {}
        for reaction, username in rows:
            entry = by_reaction.get(reaction)
            if entry is None:
                entry = by_reaction[reaction] = ReactionSummary(reaction, 0, [])
            entry.count += 1
            if len(entry.first_users) < first:
                entry.first_users.append(username)
        return list(by_reaction.values())

    def count(self, msg_id: int, reaction: str) -> int:
        return self.db.scalar("SELECT COUNT(*) FROM reactions WHERE msg_id = ? AND reaction = ?",
                              (msg_id, reaction))

    def users(self, msg_id: int, reaction: str, offset: int, limit: int) -> list[str]:
        """Users who added the reaction, earliest first."""
        rows = self.db.all("SELECT username FROM reactions WHERE msg_id = ? AND reaction = ? ORDER BY n"
                           " LIMIT ? OFFSET ?", (msg_id, reaction, limit, offset))
        return [r[0] for r in rows]

    def delete_message(self, msg_id: int) -> None:
        self.db.write("DELETE FROM reactions WHERE msg_id = ?", (msg_id,))
