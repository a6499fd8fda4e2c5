"""Groups: settings, members with roles, mutes, allow-list, blocks, pending invitations/applications.

A group is loaded whole on first use and kept in a write-through cache, because every group
message checks membership, roles and mutes: all writes go through this class.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from ..ids import now_ms
from .db import Database

OWNER = "owner"
ADMIN = "admin"
MEMBER = "member"

FOREVER = -1  # mute expiry meaning "until unmuted"

# (column, attribute) pairs of the settings row, in table order
_SETTINGS = ("name", "description", "avatar", "public", "membersonly", "allowinvites", "invite_need_confirm",
             "maxusers", "custom", "mute_all", "announcement", "disabled")
_BOOLS = frozenset({"public", "membersonly", "allowinvites", "invite_need_confirm", "mute_all", "disabled"})


@dataclass(slots=True)
class Group:
    id: str
    owner: str
    created: int
    modified: int
    name: str = ""
    description: str = ""
    avatar: str = ""
    public: bool = False
    membersonly: bool = False
    allowinvites: bool = False
    invite_need_confirm: bool = True
    maxusers: int = 200
    custom: str = ""
    mute_all: bool = False
    announcement: str = ""
    disabled: bool = False
    members: dict[str, str] = field(default_factory=dict)      # username -> role
    joined: dict[str, int] = field(default_factory=dict)       # username -> join time (ms)
    mutes: dict[str, int] = field(default_factory=dict)        # username -> expiry ms or FOREVER
    allow: set[str] = field(default_factory=set)
    blocks: set[str] = field(default_factory=set)
    shielded: set[str] = field(default_factory=set)            # members who block the group's messages

    @property
    def count(self) -> int:
        return len(self.members)

    def role(self, username: str) -> str | None:
        return self.members.get(username)

    def is_manager(self, username: str) -> bool:
        return self.members.get(username) in (OWNER, ADMIN)

    @property
    def admins(self) -> list[str]:
        return [u for u, r in self.members.items() if r == ADMIN]

    @property
    def managers(self) -> list[str]:
        return [u for u, r in self.members.items() if r in (OWNER, ADMIN)]

    def mute_expiry(self, username: str, now: int | None = None) -> int | None:
        """The active mute of a user (expiry ms or FOREVER), None when not muted."""
        expiry = self.mutes.get(username)
        if expiry is None:
            return None
        if expiry != FOREVER and expiry <= (now if now is not None else now_ms()):
            return None
        return expiry

    def active_mutes(self) -> dict[str, int]:
        now = now_ms()
        return {u: e for u, e in self.mutes.items() if self.mute_expiry(u, now) is not None}


@dataclass(slots=True)
class Request:
    """A pending invitation (kind 'invite', from = inviter) or application (kind 'apply')."""

    group_id: str
    username: str
    kind: str
    origin: str
    reason: str
    created: int


class GroupStore:
    _CACHE_LIMIT = 20_000

    def __init__(self, db: Database):
        self.db = db
        self._cache: dict[str, Group | None] = {}

    # -- reads ---------------------------------------------------------------------------
    def get(self, group_id: str) -> Group | None:
        try:
            return self._cache[group_id]
        except KeyError:
            pass
        group = self._load(group_id)
        if len(self._cache) >= self._CACHE_LIMIT:
            self._cache.clear()
        self._cache[group_id] = group
        return group

    def _load(self, group_id: str) -> Group | None:
        row = self.db.one(f"SELECT owner, created, modified, {', '.join(_SETTINGS)} FROM groups WHERE id = ?",
                          (group_id,))
        if row is None:
            return None
        values = dict(zip(_SETTINGS, row[3:]))
        for name in _BOOLS:
            values[name] = bool(values[name])
        group = Group(group_id, row[0], row[1], row[2], **values)
        for username, role, joined in self.db.all(
                "SELECT username, role, joined FROM group_members WHERE group_id = ? ORDER BY joined, rowid",
                (group_id,)):
            group.members[username] = role
            group.joined[username] = joined
        group.mutes = dict(self.db.all("SELECT username, expire FROM group_mutes WHERE group_id = ?", (group_id,)))
        group.allow = {r[0] for r in self.db.all("SELECT username FROM group_allow WHERE group_id = ?", (group_id,))}
        group.blocks = {r[0] for r in self.db.all("SELECT username FROM group_blocks WHERE group_id = ?",
                                                  (group_id,))}
        group.shielded = {r[0] for r in self.db.all("SELECT username FROM group_shields WHERE group_id = ?",
                                                    (group_id,))}
        return group

    def joined_by(self, username: str) -> list[str]:
        """Ids of the groups a user is a member of, oldest membership first."""
        rows = self.db.all("SELECT group_id FROM group_members WHERE username = ? ORDER BY joined", (username,))
        return [r[0] for r in rows]

    def public_ids(self, limit: int, after: str = "") -> list[str]:
        rows = self.db.all("SELECT id FROM groups WHERE public = 1 AND id > ? ORDER BY id LIMIT ?", (after, limit))
        return [r[0] for r in rows]

    def page_ids(self, limit: int, after: str = "") -> list[str]:
        rows = self.db.all("SELECT id FROM groups WHERE id > ? ORDER BY id LIMIT ?", (after, limit))
        return [r[0] for r in rows]

    # -- lifecycle -----------------------------------------------------------------------
    def create(self, group: Group, members: Iterable[str]) -> Group:
        names = [n for n in dict.fromkeys(members) if n != group.owner]
        self.db.write(
            f"INSERT INTO groups (id, owner, created, modified, {', '.join(_SETTINGS)})"
            f" VALUES (?, ?, ?, ?, {', '.join('?' * len(_SETTINGS))})",
            (group.id, group.owner, group.created, group.modified, *(getattr(group, s) for s in _SETTINGS)),
        )
        self._cache[group.id] = group
        self.add_members(group.id, [group.owner], OWNER, group.created)
        self.add_members(group.id, names, MEMBER, group.created)
        return group

    def update(self, group_id: str, **values) -> None:
        group = self.get(group_id)
        unknown = set(values) - set(_SETTINGS)
        if unknown:
            raise ValueError(f"unknown group settings {sorted(unknown)}")
        now = now_ms()
        assignments = ", ".join(f"{name} = ?" for name in values)
        self.db.write(f"UPDATE groups SET {assignments}, modified = ? WHERE id = ?",
                      (*values.values(), now, group_id))
        for name, value in values.items():
            setattr(group, name, value)
        group.modified = now

    def delete(self, group_id: str) -> None:
        for table in ("group_members", "group_mutes", "group_allow", "group_blocks", "group_requests",
                      "group_read_acks", "group_shields", "group_member_attrs"):
            self.db.write(f"DELETE FROM {table} WHERE group_id = ?", (group_id,))
        self.db.write("DELETE FROM groups WHERE id = ?", (group_id,))
        self._cache[group_id] = None

    # -- members -------------------------------------------------------------------------
    def add_members(self, group_id: str, names: list[str], role: str = MEMBER, joined: int | None = None) -> None:
        group = self.get(group_id)
        joined = joined or now_ms()
        self.db.write_many(
            "INSERT OR REPLACE INTO group_members (group_id, username, role, joined) VALUES (?, ?, ?, ?)",
            [(group_id, n, role, joined) for n in names],
        )
        for name in names:
            group.members[name] = role
            group.joined[name] = joined

    def remove_members(self, group_id: str, names: list[str]) -> None:
        """Members leave; their allow-list entries, message blocks (shield) and member attributes go
        with them (mutes persist, docs/protocol/rest.md §4.2)."""
        group = self.get(group_id)
        rows = [(group_id, n) for n in names]
        for table in ("group_members", "group_allow", "group_shields", "group_member_attrs"):
            self.db.write_many(f"DELETE FROM {table} WHERE group_id = ? AND username = ?", rows)
        for name in names:
            group.members.pop(name, None)
            group.joined.pop(name, None)
            group.allow.discard(name)
            group.shielded.discard(name)

    def set_role(self, group_id: str, username: str, role: str) -> None:
        group = self.get(group_id)
        self.db.write("UPDATE group_members SET role = ? WHERE group_id = ? AND username = ?",
                      (role, group_id, username))
        group.members[username] = role

    def transfer_owner(self, group_id: str, new_owner: str) -> str:
        group = self.get(group_id)
        old = group.owner
        self.set_role(group_id, old, MEMBER)
        self.set_role(group_id, new_owner, OWNER)
        self.db.write("UPDATE groups SET owner = ?, modified = ? WHERE id = ?", (new_owner, now_ms(), group_id))
        group.owner = new_owner
        return old

    # -- mutes, allow-list, blocks -------------------------------------------------------
    def mute(self, group_id: str, names: list[str], expiry: int) -> None:
        group = self.get(group_id)
        self.db.write_many("INSERT OR REPLACE INTO group_mutes (group_id, username, expire) VALUES (?, ?, ?)",
                           [(group_id, n, expiry) for n in names])
        for name in names:
            group.mutes[name] = expiry

    def unmute(self, group_id: str, names: list[str]) -> None:
        group = self.get(group_id)
        self.db.write_many("DELETE FROM group_mutes WHERE group_id = ? AND username = ?",
                           [(group_id, n) for n in names])
        for name in names:
            group.mutes.pop(name, None)

    def _set_member(self, table: str, attr: str, group_id: str, names: list[str], present: bool) -> None:
        group = self.get(group_id)
        rows = [(group_id, n) for n in names]
        if present:
            self.db.write_many(f"INSERT OR IGNORE INTO {table} (group_id, username) VALUES (?, ?)", rows)
            getattr(group, attr).update(names)
        else:
            self.db.write_many(f"DELETE FROM {table} WHERE group_id = ? AND username = ?", rows)
            getattr(group, attr).difference_update(names)

    def allow_add(self, group_id: str, names: list[str]) -> None:
        self._set_member("group_allow", "allow", group_id, names, True)

    def allow_remove(self, group_id: str, names: list[str]) -> None:
        self._set_member("group_allow", "allow", group_id, names, False)

    def block(self, group_id: str, names: list[str]) -> None:
        self._set_member("group_blocks", "blocks", group_id, names, True)

    def unblock(self, group_id: str, names: list[str]) -> None:
        self._set_member("group_blocks", "blocks", group_id, names, False)

    def shield(self, group_id: str, username: str, on: bool) -> None:
        """A member blocks (on) or unblocks the group's messages for itself (`/shield`)."""
        self._set_member("group_shields", "shielded", group_id, [username], on)

    def forget_user(self, username: str) -> None:
        """A deleted user's mutes, blocks and pending invitations/applications go (memberships are
        ended by the caller, with their notifications)."""
        for group_id in self._ids_with("group_mutes", username):
            self.unmute(group_id, [username])
        for group_id in self._ids_with("group_blocks", username):
            self.unblock(group_id, [username])
        self.db.write("DELETE FROM group_requests WHERE username = ?", (username,))

    def _ids_with(self, table: str, username: str) -> list[str]:
        return [r[0] for r in self.db.all(f"SELECT group_id FROM {table} WHERE username = ?", (username,))]

    # -- invitations and applications ----------------------------------------------------
    def add_request(self, request: Request) -> None:
        self.db.write(
            "INSERT OR REPLACE INTO group_requests (group_id, username, kind, origin, reason, created)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (request.group_id, request.username, request.kind, request.origin, request.reason, request.created),
        )

    def take_request(self, group_id: str, username: str, kind: str) -> Request | None:
        row = self.db.one("SELECT origin, reason, created FROM group_requests"
                          " WHERE group_id = ? AND username = ? AND kind = ?", (group_id, username, kind))
        if row is None:
            return None
        self.db.write("DELETE FROM group_requests WHERE group_id = ? AND username = ? AND kind = ?",
                      (group_id, username, kind))
        return Request(group_id, username, kind, *row)

    # -- group read receipts -------------------------------------------------------------
    def add_read_ack(self, group_id: str, msg_id: int, username: str) -> int:
        """Record that a member read a message; returns how many members have read it."""
        self.db.write("INSERT OR IGNORE INTO group_read_acks (group_id, msg_id, username, ts) VALUES (?, ?, ?, ?)",
                      (group_id, msg_id, username, now_ms()))
        return self.db.scalar("SELECT COUNT(*) FROM group_read_acks WHERE msg_id = ?", (msg_id,))

    def readers(self, msg_id: int) -> list[tuple[str, int]]:
        return self.db.all("SELECT username, ts FROM group_read_acks WHERE msg_id = ? ORDER BY ts", (msg_id,))
