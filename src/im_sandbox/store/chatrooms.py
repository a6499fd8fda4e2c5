"""Chatrooms: the room rows, members with their role, per-room user lists, app super admins.

Membership is durable (who belongs to the room, docs/protocol/rest.md §6.2); who is *present* right now lives
in memory (chatrooms/presence.py). Per-room lists share one table: `block`, `allow` and `mute`
(a member mute carries its end, epoch ms, or -1 for a permanent one).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..ids import now_ms
from .db import Database

OWNER, ADMIN, MEMBER = "owner", "admin", "member"
BLOCK, ALLOW, MUTE = "block", "allow", "mute"
PERMANENT = -1

_ROOM_COLUMNS = "id, name, description, owner, maxusers, custom, announcement, mute_all, created"


@dataclass(slots=True)
class Room:
    id: str
    name: str
    description: str
    owner: str
    maxusers: int
    custom: str
    announcement: str
    mute_all: bool
    created: int


def _room(row: tuple) -> Room:
    room = Room(*row)
    room.mute_all = bool(room.mute_all)
    return room


class ChatroomStore:
    def __init__(self, db: Database):
        self.db = db

    # -- rooms ---------------------------------------------------------------------------
    def create(self, room: Room, members: list[str]) -> None:
        self.db.write(f"INSERT INTO chatrooms ({_ROOM_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      (room.id, room.name, room.description, room.owner, room.maxusers, room.custom,
                       room.announcement, int(room.mute_all), room.created))
        now = room.created
        rows = [(room.id, room.owner, OWNER, now)] + [(room.id, m, MEMBER, now) for m in members if m != room.owner]
        self.db.write_many("INSERT OR IGNORE INTO chatroom_members (room_id, username, role, joined)"
                           " VALUES (?, ?, ?, ?)", rows)

    def get(self, room_id: str) -> Room | None:
        row = self.db.one(f"SELECT {_ROOM_COLUMNS} FROM chatrooms WHERE id = ?", (room_id,))
        return _room(row) if row else None

    def update(self, room_id: str, **fields) -> None:
        """Change columns of the room row (name, description, maxusers, announcement, mute_all, owner)."""
        if not fields:
            return
        columns = ", ".join(f"{name} = ?" for name in fields)
        values = [int(v) if isinstance(v, bool) else v for v in fields.values()]
        self.db.write(f"UPDATE chatrooms SET {columns} WHERE id = ?", (*values, room_id))

    def delete(self, room_id: str) -> None:
        for table in ("chatroom_members", "chatroom_user_lists", "chatroom_attributes", "chatroom_member_tags"):
            self.db.write(f"DELETE FROM {table} WHERE room_id = ?", (room_id,))
        self.db.write("DELETE FROM chatrooms WHERE id = ?", (room_id,))

    def page(self, limit: int, after: str | None) -> list[tuple[Room, int]]:
        """Rooms ordered by id after the cursor, each with its member count."""
        rows = self.db.all(
            f"SELECT {', '.join('r.' + c.strip() for c in _ROOM_COLUMNS.split(','))},"
            " (SELECT COUNT(*) FROM chatroom_members m WHERE m.room_id = r.id)"
            " FROM chatrooms r WHERE r.id > ? ORDER BY r.id LIMIT ?", (after or "", limit))
        return [(_room(row[:-1]), row[-1]) for row in rows]

    # -- members -------------------------------------------------------------------------
    def role(self, room_id: str, username: str) -> str | None:
        return self.db.scalar("SELECT role FROM chatroom_members WHERE room_id = ? AND username = ?",
                              (room_id, username))

    def members(self, room_id: str) -> list[tuple[str, str]]:
        """(user, role), the owner first, then by joining order."""
        return self.db.all("SELECT username, role FROM chatroom_members WHERE room_id = ?"
                           " ORDER BY role != 'owner', joined, username", (room_id,))

    def member_count(self, room_id: str) -> int:
        return self.db.scalar("SELECT COUNT(*) FROM chatroom_members WHERE room_id = ?", (room_id,))

    def add_member(self, room_id: str, username: str, role: str = MEMBER) -> bool:
        return self.db.write("INSERT OR IGNORE INTO chatroom_members (room_id, username, role, joined)"
                             " VALUES (?, ?, ?, ?)", (room_id, username, role, now_ms())) > 0

    def remove_member(self, room_id: str, username: str) -> bool:
        self.set_tags(room_id, username, [])  # a member's tags end when it leaves
        return self.db.write("DELETE FROM chatroom_members WHERE room_id = ? AND username = ?",
                             (room_id, username)) > 0

    def set_role(self, room_id: str, username: str, role: str) -> None:
        self.db.write("UPDATE chatroom_members SET role = ? WHERE room_id = ? AND username = ?",
                      (role, room_id, username))

    def admins(self, room_id: str) -> list[str]:
        return [r[0] for r in self.db.all("SELECT username FROM chatroom_members WHERE room_id = ? AND role = ?"
                                          " ORDER BY joined, username", (room_id, ADMIN))]

    def rooms_of(self, username: str) -> list[tuple[str, str]]:
        """(room id, name) of every room the user belongs to, oldest membership first."""
        return self.db.all("SELECT r.id, r.name FROM chatroom_members m JOIN chatrooms r ON r.id = m.room_id"
                           " WHERE m.username = ? ORDER BY m.joined, r.id", (username,))

    def membership_count(self, username: str) -> int:
        return self.db.scalar("SELECT COUNT(*) FROM chatroom_members WHERE username = ?", (username,))

    # -- block / allow / mute lists ---------------------------------------------------------
    def list_add(self, room_id: str, kind: str, username: str, expire: int = 0) -> None:
        self.db.write("INSERT OR REPLACE INTO chatroom_user_lists (room_id, list, username, expire, created)"
                      " VALUES (?, ?, ?, ?, ?)", (room_id, kind, username, expire, now_ms()))

    def list_remove(self, room_id: str, kind: str, username: str) -> bool:
        return self.db.write("DELETE FROM chatroom_user_lists WHERE room_id = ? AND list = ? AND username = ?",
                             (room_id, kind, username)) > 0

    def in_list(self, room_id: str, kind: str, username: str) -> bool:
        return self.db.one("SELECT 1 FROM chatroom_user_lists WHERE room_id = ? AND list = ? AND username = ?",
                           (room_id, kind, username)) is not None

    def list_users(self, room_id: str, kind: str) -> list[str]:
        return [r[0] for r in self.db.all("SELECT username FROM chatroom_user_lists WHERE room_id = ? AND list = ?"
                                          " ORDER BY created, username", (room_id, kind))]

    def mute_end(self, room_id: str, username: str) -> int | None:
        """When the member mute of the user ends (epoch ms, -1 = never); None when not muted now."""
        end = self.db.scalar("SELECT expire FROM chatroom_user_lists WHERE room_id = ? AND list = ? AND username = ?",
                             (room_id, MUTE, username))
        if end is None or end == PERMANENT or end > now_ms():
            return end
        return None

    def mutes(self, room_id: str) -> list[tuple[str, int]]:
        """(user, end) of the mutes in force."""
        now = now_ms()
        rows = self.db.all("SELECT username, expire FROM chatroom_user_lists WHERE room_id = ? AND list = ?"
                           " ORDER BY created, username", (room_id, MUTE))
        return [(user, end) for user, end in rows if end == PERMANENT or end > now]

    # -- member tags (tag mute: rest/chatroom_tags.py) -------------------------------------------
    def set_tags(self, room_id: str, username: str, tags: list[str]) -> None:
        """Replace the member's tags (an empty list removes them all)."""
        self.db.write("DELETE FROM chatroom_member_tags WHERE room_id = ? AND username = ?", (room_id, username))
        self.db.write_many("INSERT OR IGNORE INTO chatroom_member_tags (room_id, username, tag) VALUES (?, ?, ?)",
                           [(room_id, username, tag) for tag in tags])

    def tags(self, room_id: str, username: str) -> list[str]:
        return [r[0] for r in self.db.all("SELECT tag FROM chatroom_member_tags WHERE room_id = ? AND username = ?"
                                          " ORDER BY tag", (room_id, username))]

    def tagged(self, room_id: str, tag: str) -> list[str]:
        """The members carrying `tag`."""
        return [r[0] for r in self.db.all("SELECT username FROM chatroom_member_tags WHERE room_id = ? AND tag = ?"
                                          " ORDER BY username", (room_id, tag))]

    # -- super admins (app-wide) --------------------------------------------------------------
    def add_super_admin(self, username: str) -> None:
        self.db.write("INSERT OR IGNORE INTO chatroom_super_admins (username, created) VALUES (?, ?)",
                      (username, now_ms()))

    def remove_super_admin(self, username: str) -> bool:
        return self.db.write("DELETE FROM chatroom_super_admins WHERE username = ?", (username,)) > 0

    def is_super_admin(self, username: str) -> bool:
        return self.db.one("SELECT 1 FROM chatroom_super_admins WHERE username = ?", (username,)) is not None

    def super_admins(self, limit: int, offset: int) -> list[str]:
        return [r[0] for r in self.db.all("SELECT username FROM chatroom_super_admins ORDER BY created, username"
                                          " LIMIT ? OFFSET ?", (limit, offset))]

    def delete_user(self, username: str) -> None:
        """Forget a deleted user's memberships, list entries and role (the rooms it owns are
        destroyed and the others left first, with their notifications, by rest/user_deletion.py)."""
        self.db.write("DELETE FROM chatroom_members WHERE username = ? AND role != ?", (username, OWNER))
        self.db.write("DELETE FROM chatroom_user_lists WHERE username = ?", (username,))
        self.db.write("DELETE FROM chatroom_member_tags WHERE username = ?", (username,))
        self.db.write("DELETE FROM chatroom_super_admins WHERE username = ?", (username,))
