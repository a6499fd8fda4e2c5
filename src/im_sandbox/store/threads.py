"""Threads (子区): a named sub-conversation of a group, started from one group message."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..ids import now_ms
from .db import Database

_COLUMNS = "id, group_id, name, owner, msg_id, created, modified, message_count, last_msg_id"


@dataclass(slots=True)
class Thread:
    id: str
    group_id: str
    name: str
    owner: str
    msg_id: str          # the parent group message (server id, as a string like every Easemob id)
    created: int
    modified: int
    message_count: int = 0
    last_msg_id: int = 0
    members: dict[str, int] = field(default_factory=dict)  # username -> join time (ms)


class ThreadStore:
    _CACHE_LIMIT = 20_000

    def __init__(self, db: Database):
        self.db = db
        self._cache: dict[str, Thread | None] = {}

    def get(self, thread_id: str) -> Thread | None:
        try:
            return self._cache[thread_id]
        except KeyError:
            pass
        row = self.db.one(f"SELECT {_COLUMNS} FROM threads WHERE id = ?", (thread_id,))
        thread = None
        if row is not None:
            thread = Thread(*row)
            thread.members = dict(self.db.all(
                "SELECT username, joined FROM thread_members WHERE thread_id = ? ORDER BY joined, rowid",
                (thread_id,)))
        if len(self._cache) >= self._CACHE_LIMIT:
            self._cache.clear()
        self._cache[thread_id] = thread
        return thread

    def by_message(self, msg_id: str) -> str | None:
        return self.db.scalar("SELECT id FROM threads WHERE msg_id = ?", (msg_id,))

    def ids_of_group(self, group_id: str) -> list[str]:
        return [r[0] for r in self.db.all("SELECT id FROM threads WHERE group_id = ? ORDER BY id", (group_id,))]

    def ids_of_user(self, username: str, group_id: str | None = None) -> list[str]:
        if group_id is None:
            rows = self.db.all("SELECT thread_id FROM thread_members WHERE username = ? ORDER BY thread_id",
                               (username,))
        else:
            rows = self.db.all("SELECT m.thread_id FROM thread_members m JOIN threads t ON t.id = m.thread_id"
                               " WHERE m.username = ? AND t.group_id = ? ORDER BY m.thread_id", (username, group_id))
        return [r[0] for r in rows]

    def create(self, thread: Thread) -> Thread:
        self.db.write(f"INSERT INTO threads ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      (thread.id, thread.group_id, thread.name, thread.owner, thread.msg_id, thread.created,
                       thread.modified, thread.message_count, thread.last_msg_id))
        self._cache[thread.id] = thread
        self.join(thread.id, [thread.owner], thread.created)
        return thread

    def rename(self, thread_id: str, name: str) -> None:
        thread = self.get(thread_id)
        now = now_ms()
        self.db.write("UPDATE threads SET name = ?, modified = ? WHERE id = ?", (name, now, thread_id))
        thread.name, thread.modified = name, now

    def delete(self, thread_id: str) -> None:
        self.db.write("DELETE FROM thread_members WHERE thread_id = ?", (thread_id,))
        self.db.write("DELETE FROM threads WHERE id = ?", (thread_id,))
        self._cache[thread_id] = None

    def join(self, thread_id: str, names: list[str], joined: int | None = None) -> None:
        thread = self.get(thread_id)
        joined = joined or now_ms()
        fresh = [n for n in names if n not in thread.members]
        self.db.write_many("INSERT OR IGNORE INTO thread_members (thread_id, username, joined) VALUES (?, ?, ?)",
                           [(thread_id, n, joined) for n in fresh])
        for name in fresh:
            thread.members[name] = joined

    def leave(self, thread_id: str, names: list[str]) -> None:
        thread = self.get(thread_id)
        self.db.write_many("DELETE FROM thread_members WHERE thread_id = ? AND username = ?",
                           [(thread_id, n) for n in names])
        for name in names:
            thread.members.pop(name, None)

    def leave_group_threads(self, group_id: str, names: list[str]) -> list[str]:
        """Members who leave a group leave its threads too; returns the threads touched."""
        touched = []
        for thread_id in self.ids_of_group(group_id):
            thread = self.get(thread_id)
            gone = [n for n in names if n in thread.members]
            if gone:
                self.leave(thread_id, gone)
                touched.append(thread_id)
        return touched

    def record_message(self, thread_id: str, msg_id: int) -> None:
        thread = self.get(thread_id)
        self.db.write("UPDATE threads SET message_count = message_count + 1, last_msg_id = ? WHERE id = ?",
                      (msg_id, thread_id))
        thread.message_count += 1
        thread.last_msg_id = msg_id
