"""Recalled messages, and what a recall removes.

A recall deletes the original from the `messages` table (so history never returns it) together
with every queue item still pointing at it (so no device pulls it afterwards) and its reactions,
and keeps a row here: `was_recalled(id)` tells a recalled message from one that never existed.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..ids import now_ms
from .db import Database


@dataclass(slots=True)
class Recall:
    msg_id: int
    sender: str
    recipient: str
    chat_type: int
    recalled_by: str
    ts: int


class RecallStore:
    def __init__(self, db: Database):
        self.db = db

    def remove_original(self, msg_id: int, sender: str, recipient: str, chat_type: int, recalled_by: str) -> int:
        """Delete the message, its queue items and reactions; record the recall.

        Returns how many queue items (undelivered copies) were dropped."""
        dropped = self.db.write("DELETE FROM queue_items WHERE msg_id = ?", (msg_id,))
        self.db.write("DELETE FROM messages WHERE id = ?", (msg_id,))
        self.db.write("DELETE FROM reactions WHERE msg_id = ?", (msg_id,))
        self.db.write(
            "INSERT OR REPLACE INTO recalls (msg_id, sender, recipient, chat_type, recalled_by, ts)"
            " VALUES (?, ?, ?, ?, ?, ?)", (msg_id, sender, recipient, chat_type, recalled_by, now_ms()))
        return dropped

    def was_recalled(self, msg_id: int) -> bool:
        return self.db.one("SELECT 1 FROM recalls WHERE msg_id = ?", (msg_id,)) is not None

    def get(self, msg_id: int) -> Recall | None:
        row = self.db.one("SELECT msg_id, sender, recipient, chat_type, recalled_by, ts FROM recalls"
                          " WHERE msg_id = ?", (msg_id,))
        return Recall(*row) if row else None
