"""Persistence: one SQLite file in the data dir, one repository class per table family."""
from __future__ import annotations

from pathlib import Path

from .db import Database
from .devices import DeviceStore
from .messages import PENDING, MessageStore, StoredMessage
from .tokens import APP, USER, Token, TokenStore
from .users import User, UserStore, check_password, hash_password

DB_FILE = "sandbox.db"


class Store:
    def __init__(self, data_dir: Path):
        self.db = Database(data_dir / DB_FILE)
        self.users = UserStore(self.db)
        self.tokens = TokenStore(self.db)
        self.devices = DeviceStore(self.db)
        self.messages = MessageStore(self.db)

    def delete_user(self, username: str) -> None:
        """Remove a user and everything owned by it (messages they sent stay in history)."""
        self.users.delete(username)
        self.tokens.delete_user(username)
        self.devices.delete_user(username)
        self.messages.delete_owner(username)

    def commit(self) -> None:
        self.db.commit()

    def close(self) -> None:
        self.db.close()


__all__ = [
    "APP", "USER", "PENDING", "Store", "Database", "User", "Token", "StoredMessage",
    "UserStore", "TokenStore", "DeviceStore", "MessageStore", "check_password", "hash_password",
]
