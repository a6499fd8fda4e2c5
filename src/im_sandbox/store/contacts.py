"""Contacts (the roster), pending contact applications and per-user block lists.

A friendship is two rows of `contacts`, one per direction, so each side keeps its own remark and
a removal by one side can remove both rows in one place. Every query is by primary key or index;
the 1:1 send path asks `is_blocked` / `are_contacts` once per message.
"""
from __future__ import annotations

from ..ids import now_ms
from .db import Database


class ContactStore:
    def __init__(self, db: Database):
        self.db = db

    # -- friendships -----------------------------------------------------------------------
    def are_contacts(self, owner: str, contact: str) -> bool:
        return self.db.one("SELECT 1 FROM contacts WHERE owner = ? AND contact = ?", (owner, contact)) is not None

    def befriend(self, a: str, b: str) -> None:
        """Both directions; an existing remark stays. Clears pending applications between the two."""
        now = now_ms()
        self.db.write_many("INSERT OR IGNORE INTO contacts (owner, contact, created) VALUES (?, ?, ?)",
                           [(a, b, now), (b, a, now)])
        self.db.write("DELETE FROM contact_requests WHERE (applicant = ? AND invitee = ?) OR "
                      "(applicant = ? AND invitee = ?)", (a, b, b, a))

    def unfriend(self, a: str, b: str) -> bool:
        """Remove both directions; False when `b` was not a contact of `a`."""
        n = self.db.write("DELETE FROM contacts WHERE owner = ? AND contact = ?", (a, b))
        self.db.write("DELETE FROM contacts WHERE owner = ? AND contact = ?", (b, a))
        return n > 0

    def set_remark(self, owner: str, contact: str, remark: str) -> bool:
        return self.db.write("UPDATE contacts SET remark = ? WHERE owner = ? AND contact = ?",
                             (remark, owner, contact)) > 0

    def contacts(self, owner: str, after: str = "", limit: int = -1) -> list[tuple[str, str]]:
        """(contact, remark) in name order, those after `after`; limit -1 = all."""
        return [(c, r) for c, r in self.db.all(
            "SELECT contact, remark FROM contacts WHERE owner = ? AND contact > ? ORDER BY contact LIMIT ?",
            (owner, after, limit))]

    # -- applications ----------------------------------------------------------------------
    def apply(self, applicant: str, invitee: str, reason: str) -> None:
        self.db.write("INSERT OR REPLACE INTO contact_requests (applicant, invitee, reason, created) "
                      "VALUES (?, ?, ?, ?)", (applicant, invitee, reason, now_ms()))

    def has_application(self, applicant: str, invitee: str) -> bool:
        return self.db.one("SELECT 1 FROM contact_requests WHERE applicant = ? AND invitee = ?",
                           (applicant, invitee)) is not None

    def drop_application(self, applicant: str, invitee: str) -> bool:
        return self.db.write("DELETE FROM contact_requests WHERE applicant = ? AND invitee = ?",
                             (applicant, invitee)) > 0

    # -- block lists -----------------------------------------------------------------------
    def block(self, owner: str, users: list[str]) -> None:
        now = now_ms()
        self.db.write_many("INSERT OR IGNORE INTO user_blocks (owner, blocked, created) VALUES (?, ?, ?)",
                           [(owner, u, now) for u in users])

    def unblock(self, owner: str, user: str) -> bool:
        return self.db.write("DELETE FROM user_blocks WHERE owner = ? AND blocked = ?", (owner, user)) > 0

    def is_blocked(self, owner: str, user: str) -> bool:
        """Whether `owner` has `user` on its block list."""
        return self.db.one("SELECT 1 FROM user_blocks WHERE owner = ? AND blocked = ?", (owner, user)) is not None

    def blocks(self, owner: str) -> list[str]:
        return [b for (b,) in self.db.all("SELECT blocked FROM user_blocks WHERE owner = ? ORDER BY created, blocked",
                                          (owner,))]

    def block_count(self, owner: str) -> int:
        return int(self.db.scalar("SELECT COUNT(*) FROM user_blocks WHERE owner = ?", (owner,)))

    def delete_user(self, username: str) -> None:
        for sql in ("DELETE FROM contacts WHERE owner = ? OR contact = ?",
                    "DELETE FROM contact_requests WHERE applicant = ? OR invitee = ?",
                    "DELETE FROM user_blocks WHERE owner = ? OR blocked = ?"):
            self.db.write(sql, (username, username))
