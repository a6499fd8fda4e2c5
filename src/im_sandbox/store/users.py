"""Users: lower-cased unique names, salted password hashes, activation state."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from ..ids import new_uuid, now_ms
from .db import Database

_COLUMNS = "username, uuid, password, nickname, created, modified, activated"


@dataclass(slots=True)
class User:
    username: str
    uuid: str
    password: str
    nickname: str | None
    created: int
    modified: int
    activated: bool

    @classmethod
    def from_row(cls, row: tuple) -> "User":
        return cls(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]))


def hash_password(password: str) -> str:
    salt = secrets.token_hex(8)
    return salt + "$" + hashlib.sha256((salt + password).encode()).hexdigest()


def check_password(password: str, stored: str) -> bool:
    salt, _, digest = stored.partition("$")
    return hmac.compare_digest(hashlib.sha256((salt + password).encode()).hexdigest(), digest)


class UserStore:
    """Write-through cache in front of the table: every change goes through this class."""

    _CACHE_LIMIT = 200_000

    def __init__(self, db: Database):
        self.db = db
        self._cache: dict[str, User | None] = {}

    def get(self, username: str) -> User | None:
        try:
            return self._cache[username]
        except KeyError:
            pass
        row = self.db.one(f"SELECT {_COLUMNS} FROM users WHERE username = ?", (username,))
        user = User.from_row(row) if row else None
        if len(self._cache) >= self._CACHE_LIMIT:
            self._cache.clear()
        self._cache[username] = user
        return user

    def exists(self, username: str) -> bool:
        return self.get(username) is not None

    def create(self, username: str, password: str, nickname: str | None = None) -> User:
        now = now_ms()
        user = User(username, new_uuid(), hash_password(password), nickname, now, now, True)
        self.db.write(
            f"INSERT INTO users ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (user.username, user.uuid, user.password, user.nickname, user.created, user.modified, 1),
        )
        self._cache[username] = user
        return user

    def delete(self, username: str) -> None:
        self.db.write("DELETE FROM users WHERE username = ?", (username,))
        self._cache[username] = None

    def set_password(self, username: str, password: str) -> None:
        self._update(username, "password = ?", hash_password(password))

    def set_activated(self, username: str, activated: bool) -> None:
        self._update(username, "activated = ?", 1 if activated else 0)

    def _update(self, username: str, assignment: str, value) -> None:
        self.db.write(
            f"UPDATE users SET {assignment}, modified = ? WHERE username = ?", (value, now_ms(), username)
        )
        self._cache.pop(username, None)

    def page(self, limit: int, after_rowid: int = 0) -> list[tuple[int, User]]:
        rows = self.db.all(
            f"SELECT rowid, {_COLUMNS} FROM users WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (after_rowid, limit),
        )
        return [(row[0], User.from_row(row[1:])) for row in rows]

    def count(self) -> int:
        return self.db.scalar("SELECT COUNT(*) FROM users")
