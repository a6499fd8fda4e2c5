"""Messages and per-device queue items.

A queue item says "device D of user U still has to pull message M from queue Q". Items live in
one table keyed (owner, device, qkey, msg_id), so every hot query is a primary-key range scan.
Device PENDING ('') holds items for a user without any known device yet; the user's first device
takes them over on its first provision.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .db import Database

PENDING = ""


@dataclass(slots=True)
class StoredMessage:
    id: int
    sender: str
    sender_res: str | None
    recipient: str
    chat_type: int
    meta: bytes
    ts: int


class MessageStore:
    def __init__(self, db: Database):
        self.db = db

    def max_id(self) -> int:
        return self.db.scalar("SELECT MAX(id) FROM messages") or 0

    def add(self, msg: StoredMessage, items: Iterable[tuple[str, str, str]]) -> None:
        """Store a message and its queue items `(owner, device, qkey)`."""
        self.db.write(
            "INSERT INTO messages (id, sender, sender_res, recipient, chat_type, meta, ts) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (msg.id, msg.sender, msg.sender_res, msg.recipient, msg.chat_type, msg.meta, msg.ts),
        )
        mid = msg.id
        self.db.write_many(
            "INSERT OR IGNORE INTO queue_items (owner, device, qkey, msg_id) VALUES (?, ?, ?, ?)",
            [(owner, device, qkey, mid) for owner, device, qkey in items],
        )

    def replace_meta(self, msg_id: int, meta: bytes) -> bool:
        """Store a new version of a message (an edit); its queue items now deliver that version."""
        return self.db.write("UPDATE messages SET meta = ? WHERE id = ?", (meta, msg_id)) > 0

    def get(self, msg_id: int) -> StoredMessage | None:
        row = self.db.one(
            "SELECT id, sender, sender_res, recipient, chat_type, meta, ts FROM messages WHERE id = ?", (msg_id,)
        )
        return StoredMessage(*row) if row else None

    def page(self, owner: str, device: str, qkey: str, after: int, limit: int,
             max_bytes: int) -> list[tuple[int, bytes]]:
        """The next items of a queue, oldest first: at most `limit` metas and about `max_bytes`."""
        rows = self.db.all(
            "SELECT q.msg_id, m.meta FROM queue_items q JOIN messages m ON m.id = q.msg_id"
            " WHERE q.owner = ? AND q.device = ? AND q.qkey = ? AND q.msg_id > ?"
            " ORDER BY q.msg_id LIMIT ?",
            (owner, device, qkey, after, limit),
        )
        total = 0
        for i, (_, meta) in enumerate(rows):
            total += len(meta)
            if total > max_bytes and i > 0:
                return rows[:i]
        return rows

    def ack(self, owner: str, device: str, qkey: str, upto: int) -> int:
        """Delivery acknowledgement: drop the device's items in the queue with id <= upto."""
        return self.db.write(
            "DELETE FROM queue_items WHERE owner = ? AND device = ? AND qkey = ? AND msg_id <= ?",
            (owner, device, qkey, upto),
        )

    def unread(self, owner: str, device: str) -> list[tuple[str, int]]:
        return self.db.all(
            "SELECT qkey, COUNT(*) FROM queue_items WHERE owner = ? AND device = ? GROUP BY qkey",
            (owner, device),
        )

    def take_over_pending(self, owner: str, device: str) -> int:
        return self.db.write(
            "UPDATE queue_items SET device = ? WHERE owner = ? AND device = ?", (device, owner, PENDING)
        )

    def waits_for(self, owner: str, msg_id: int) -> bool:
        """Whether some device of `owner` (or its pending bucket) still has to pull the message."""
        return self.db.one("SELECT 1 FROM queue_items WHERE owner = ? AND msg_id = ? LIMIT 1", (owner, msg_id)) is not None

    def pending_count(self, owner: str) -> int:
        """Distinct messages the user still has to pull on any device (or in the pending bucket)."""
        return self.db.scalar("SELECT COUNT(DISTINCT msg_id) FROM queue_items WHERE owner = ?", (owner,))

    def delete_owner(self, owner: str) -> None:
        self.db.write("DELETE FROM queue_items WHERE owner = ?", (owner,))
