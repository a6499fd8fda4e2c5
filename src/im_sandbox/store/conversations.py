"""Conversations: each user's own state of a conversation (read up to, deleted, pinned, marks) and the
pinned messages of a conversation. What the conversation holds (its last message, its unread count) is
not copied here: domain/conversations.py reads it from `messages` through the roaming filters, so a
message, a recall (which deletes the row) and a one-way delete change the list the moment they happen.

A conversation is named like a roaming conversation: the peer's user name for 1:1,
`<id>@conference.easemob.com` for a group.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .db import Database


@dataclass(slots=True)
class ConversationState:
    owner: str
    conv: str
    read_upto: int = 0
    deleted_at: int = 0
    pinned_at: int = 0
    marks: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PinnedMessage:
    msg_id: int
    operator: str
    pinned_at: int


def pair_key(a: str, b: str) -> str:
    """The pinned-message key of a 1:1 conversation: the same for both sides."""
    return "|".join(sorted((a, b)))


class ConversationStore:
    def __init__(self, db: Database):
        self.db = db

    # -- per-user state --------------------------------------------------------------------------
    def state(self, owner: str, conv: str) -> ConversationState:
        row = self.db.one("SELECT read_upto, deleted_at, pinned_at, marks FROM conversation_state"
                          " WHERE owner = ? AND conv = ?", (owner, conv))
        if row is None:
            return ConversationState(owner, conv)
        return ConversationState(owner, conv, row[0], row[1], row[2], [m for m in row[3].split(",") if m])

    def states(self, owner: str) -> dict[str, ConversationState]:
        rows = self.db.all("SELECT conv, read_upto, deleted_at, pinned_at, marks FROM conversation_state"
                           " WHERE owner = ?", (owner,))
        return {r[0]: ConversationState(owner, r[0], r[1], r[2], r[3], [m for m in r[4].split(",") if m])
                for r in rows}

    def _set(self, owner: str, conv: str, column: str, value) -> None:
        self.db.write(f"INSERT INTO conversation_state (owner, conv, {column}) VALUES (?, ?, ?)"
                      f" ON CONFLICT (owner, conv) DO UPDATE SET {column} = excluded.{column}", (owner, conv, value))

    def read_up_to(self, owner: str, conv: str, msg_id: int) -> None:
        self.db.write("INSERT INTO conversation_state (owner, conv, read_upto) VALUES (?, ?, ?)"
                      " ON CONFLICT (owner, conv) DO UPDATE SET read_upto = MAX(read_upto, excluded.read_upto)",
                      (owner, conv, msg_id))

    def delete(self, owner: str, conv: str, at: int) -> None:
        """The conversation leaves the list (unpinned, unmarked) until a newer message."""
        self.db.write("INSERT INTO conversation_state (owner, conv, deleted_at) VALUES (?, ?, ?)"
                      " ON CONFLICT (owner, conv) DO UPDATE SET deleted_at = excluded.deleted_at,"
                      " pinned_at = 0, marks = ''", (owner, conv, at))

    def pin(self, owner: str, conv: str, at: int) -> None:
        """`at` 0 unpins."""
        self._set(owner, conv, "pinned_at", at)

    def set_marks(self, owner: str, conv: str, marks: list[str]) -> None:
        self._set(owner, conv, "marks", ",".join(marks))

    # -- pinned messages -------------------------------------------------------------------------
    def pin_message(self, key: str, msg_id: int, operator: str, at: int) -> None:
        self.db.write("INSERT OR REPLACE INTO pinned_messages (conv_key, msg_id, operator, pinned_at)"
                      " VALUES (?, ?, ?, ?)", (key, msg_id, operator, at))

    def unpin_message(self, key: str, msg_id: int) -> bool:
        return self.db.write("DELETE FROM pinned_messages WHERE conv_key = ? AND msg_id = ?", (key, msg_id)) > 0

    def pinned_messages(self, key: str) -> list[PinnedMessage]:
        """Newest pin first."""
        rows = self.db.all("SELECT msg_id, operator, pinned_at FROM pinned_messages WHERE conv_key = ?"
                           " ORDER BY pinned_at DESC, msg_id DESC", (key,))
        return [PinnedMessage(*r) for r in rows]

    # -- reads over messages ---------------------------------------------------------------------
    def one_to_one_peers(self, owner: str, chat_type: int) -> list[str]:
        """Every user `owner` exchanged a message of `chat_type` with."""
        rows = self.db.all("SELECT DISTINCT recipient FROM messages WHERE sender = ? AND chat_type = ?"
                           " UNION SELECT DISTINCT sender FROM messages WHERE recipient = ? AND chat_type = ?",
                           (owner, chat_type, owner, chat_type))
        return [r[0] for r in rows if r[0] != owner]

    def delete_user(self, username: str) -> None:
        self.db.write("DELETE FROM conversation_state WHERE owner = ?", (username,))
