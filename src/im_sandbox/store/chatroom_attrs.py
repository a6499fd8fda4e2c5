"""Chatroom attributes ("metadata", docs/protocol/rest.md §6.3): key → value, with the member who set it.

`auto_delete` keys disappear when their owner leaves the room.
"""
from __future__ import annotations

from typing import Iterable

from ..ids import now_ms
from .db import Database


class ChatroomAttrStore:
    def __init__(self, db: Database):
        self.db = db

    def entries(self, room_id: str, keys: Iterable[str] | None = None) -> dict[str, tuple[str, str]]:
        """key → (value, owner), for the given keys (all keys when None)."""
        rows = self.db.all("SELECT key, value, owner FROM chatroom_attributes WHERE room_id = ? ORDER BY key",
                           (room_id,))
        wanted = None if keys is None else set(keys)
        return {k: (v, o) for k, v, o in rows if wanted is None or k in wanted}

    def count(self, room_id: str) -> int:
        return self.db.scalar("SELECT COUNT(*) FROM chatroom_attributes WHERE room_id = ?", (room_id,))

    def put(self, room_id: str, key: str, value: str, owner: str, auto_delete: bool) -> None:
        self.db.write("INSERT OR REPLACE INTO chatroom_attributes (room_id, key, value, owner, auto_delete, updated)"
                      " VALUES (?, ?, ?, ?, ?, ?)", (room_id, key, value, owner, int(auto_delete), now_ms()))

    def delete(self, room_id: str, key: str) -> None:
        self.db.write("DELETE FROM chatroom_attributes WHERE room_id = ? AND key = ?", (room_id, key))

    def auto_delete_keys(self, room_id: str, owner: str) -> list[str]:
        return [r[0] for r in self.db.all("SELECT key FROM chatroom_attributes WHERE room_id = ? AND owner = ?"
                                          " AND auto_delete = 1 ORDER BY key", (room_id, owner))]
