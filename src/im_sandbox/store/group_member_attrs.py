"""Group member attributes: string values per (group, member), as `/metadata/chatgroup` keeps them.
A member's attributes go when it leaves the group (GroupStore.remove_members) or the group ends."""
from __future__ import annotations

from typing import Iterable

from .db import Database


class GroupMemberAttrStore:
    def __init__(self, db: Database):
        self.db = db

    def get(self, group_id: str, username: str, keys: Iterable[str] = ()) -> dict[str, str]:
        """The member's attributes (only `keys` when some are named)."""
        rows = self.db.all("SELECT key, value FROM group_member_attrs WHERE group_id = ? AND username = ?"
                           " ORDER BY key", (group_id, username))
        wanted = set(keys)
        return {k: v for k, v in rows if not wanted or k in wanted}

    def merge(self, group_id: str, username: str, attrs: dict[str, str]) -> None:
        """Set the keys with a value, delete the keys set to "" (the SDK's way to remove one); the
        member's other keys stay."""
        kept = [(group_id, username, k, v) for k, v in attrs.items() if v != ""]
        gone = [(group_id, username, k) for k, v in attrs.items() if v == ""]
        self.db.write_many("INSERT OR REPLACE INTO group_member_attrs (group_id, username, key, value)"
                           " VALUES (?, ?, ?, ?)", kept)
        self.db.write_many("DELETE FROM group_member_attrs WHERE group_id = ? AND username = ? AND key = ?", gone)
