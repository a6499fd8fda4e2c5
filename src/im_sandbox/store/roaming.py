"""Roaming history (docs/protocol/rest.md §3.8, §3.9): per-conversation reads over `messages`, one-way deletes.

History is not a copy of the messages: it is read from the `messages` table (index
`messages_by_recipient`) and filtered through two small tables of one-way deletes:

* `roaming_deleted (owner, msg_id)` — one message gone from one user's history;
* `roaming_cleared (owner, conv, before)` — everything of one conversation (or `*`: all of them)
  up to a time gone from one user's history.

Which rows count as history at all is decided by store/history_rules.py; a recall deletes the
original row (store/recalls.py), so it leaves everyone's history. A conversation is named like a queue key: the peer's user name for 1:1, `<id>@conference.easemob.com`
for groups, threads and rooms.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .db import Database

ALL_CONVERSATIONS = "*"
CONFERENCE_SUFFIX = "@conference.easemob.com"


@dataclass(slots=True)
class HistoryRow:
    id: int
    sender: str
    recipient: str
    chat_type: int
    meta: bytes
    ts: int


@dataclass(frozen=True, slots=True)
class HistoryQuery:
    owner: str
    conv: str                    # peer user, or '<id>@conference.easemob.com'
    chat_types: tuple[int, ...]  # MessageBody types the history shows in this conversation
    newest_first: bool = True
    cursor: int | None = None    # exclusive: continue after (or before) this message id
    start_time: int | None = None
    end_time: int | None = None
    sender: str | None = None    # group history: only this sender's messages


class RoamingStore:
    def __init__(self, db: Database):
        self.db = db

    # -- reads -----------------------------------------------------------------------------------
    def scan(self, q: HistoryQuery, batch: int) -> Iterable[HistoryRow]:
        """The conversation's messages in page order, one-way deletes already applied."""
        cursor = q.cursor
        while True:
            rows = self._batch(q, cursor, batch)
            yield from rows
            if len(rows) < batch:
                return
            cursor = rows[-1].id

    def _batch(self, q: HistoryQuery, cursor: int | None, limit: int) -> list[HistoryRow]:
        if q.conv.endswith(CONFERENCE_SUFFIX):
            where = ["m.recipient = ?"]
            params: list = [q.conv[: -len(CONFERENCE_SUFFIX)]]
        else:
            where = ["((m.recipient = ? AND m.sender = ?) OR (m.recipient = ? AND m.sender = ?))"]
            params = [q.conv, q.owner, q.owner, q.conv]
        where.append(f"m.chat_type IN ({','.join('?' * len(q.chat_types))})")
        params += q.chat_types
        if cursor is not None:
            where.append("m.id < ?" if q.newest_first else "m.id > ?")
            params.append(cursor)
        if q.start_time is not None:
            where.append("m.ts >= ?")
            params.append(q.start_time)
        if q.end_time is not None:
            where.append("m.ts <= ?")
            params.append(q.end_time)
        if q.sender is not None:
            where.append("m.sender = ?")
            params.append(q.sender)
        where.append("NOT EXISTS (SELECT 1 FROM roaming_deleted d WHERE d.owner = ? AND d.msg_id = m.id)")
        params.append(q.owner)
        where.append("m.ts > COALESCE((SELECT MAX(c.before) FROM roaming_cleared c"
                     " WHERE c.owner = ? AND c.conv IN (?, ?)), -1)")
        params += [q.owner, q.conv, ALL_CONVERSATIONS]
        order = "DESC" if q.newest_first else "ASC"
        sql = ("SELECT m.id, m.sender, m.recipient, m.chat_type, m.meta, m.ts FROM messages m"
               f" WHERE {' AND '.join(where)} ORDER BY m.id {order} LIMIT ?")
        return [HistoryRow(*row) for row in self.db.all(sql, [*params, limit])]

    # -- one-way deletes -------------------------------------------------------------------------
    def delete(self, owner: str, msg_ids: Iterable[int]) -> None:
        self.db.write_many("INSERT OR IGNORE INTO roaming_deleted (owner, msg_id) VALUES (?, ?)",
                           [(owner, mid) for mid in msg_ids])

    def clear(self, owner: str, conv: str, before: int) -> None:
        """Everything of `conv` (or ALL_CONVERSATIONS) with ts <= before leaves `owner`'s history."""
        self.db.write(
            "INSERT INTO roaming_cleared (owner, conv, before) VALUES (?, ?, ?)"
            " ON CONFLICT (owner, conv) DO UPDATE SET before = MAX(before, excluded.before)",
            (owner, conv, before))

    def delete_owner(self, owner: str) -> None:
        self.db.write("DELETE FROM roaming_deleted WHERE owner = ?", (owner,))
        self.db.write("DELETE FROM roaming_cleared WHERE owner = ?", (owner,))
