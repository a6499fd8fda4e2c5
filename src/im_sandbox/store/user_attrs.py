"""User attributes (nickname, avatarurl, … and any other key): string values per user."""
from __future__ import annotations

from .db import Database


def size_of(attrs: dict[str, str]) -> int:
    """What the per-user limit measures: UTF-8 bytes of every key and value."""
    return sum(len(k.encode()) + len(v.encode()) for k, v in attrs.items())


class UserAttrStore:
    def __init__(self, db: Database):
        self.db = db

    def get(self, username: str) -> dict[str, str]:
        return dict(self.db.all("SELECT key, value FROM user_attributes WHERE username = ? ORDER BY key", (username,)))

    def merge(self, username: str, attrs: dict[str, str]) -> None:
        """Set these keys; the user's other keys stay."""
        self.db.write_many("INSERT OR REPLACE INTO user_attributes (username, key, value) VALUES (?, ?, ?)",
                           [(username, k, v) for k, v in attrs.items()])

    def delete_user(self, username: str) -> bool:
        return self.db.write("DELETE FROM user_attributes WHERE username = ?", (username,)) > 0

    def total_size(self) -> int:
        return int(self.db.scalar("SELECT COALESCE(SUM(LENGTH(CAST(key AS BLOB)) + LENGTH(CAST(value AS BLOB))), 0) "
                                  "FROM user_attributes") or 0)
