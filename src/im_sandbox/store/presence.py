"""Presence: the status each device of a user published, and presence subscriptions with their end."""
from __future__ import annotations

from .db import Database


class PresenceStore:
    def __init__(self, db: Database):
        self.db = db

    def publish(self, username: str, resource: str, status: int, ext: str, now: int) -> None:
        self.db.write("INSERT OR REPLACE INTO presence_status (username, resource, status, ext, updated) "
                      "VALUES (?, ?, ?, ?, ?)", (username, resource, status, ext, now))

    def statuses(self, username: str) -> list[tuple[str, int, str, int]]:
        """(resource, status, ext, updated ms) per device, oldest update first."""
        return self.db.all("SELECT resource, status, ext, updated FROM presence_status WHERE username = ? "
                           "ORDER BY updated, resource", (username,))

    def subscribe(self, subscriber: str, targets: list[str], until_ms: int) -> None:
        self.db.write_many("INSERT OR REPLACE INTO presence_subscriptions (subscriber, target, until_ms) "
                           "VALUES (?, ?, ?)", [(subscriber, t, until_ms) for t in targets])

    def unsubscribe(self, subscriber: str, targets: list[str]) -> None:
        self.db.write_many("DELETE FROM presence_subscriptions WHERE subscriber = ? AND target = ?",
                           [(subscriber, t) for t in targets])

    def subscribers(self, target: str, now: int) -> list[tuple[str, int]]:
        """(subscriber, until ms) of the subscriptions to `target` still running at `now`."""
        return self.db.all("SELECT subscriber, until_ms FROM presence_subscriptions WHERE target = ? AND until_ms > ? "
                           "ORDER BY subscriber", (target, now))

    def subscriptions(self, subscriber: str, now: int) -> list[tuple[str, int]]:
        """(target, until ms) of `subscriber`'s running subscriptions, in name order."""
        return self.db.all("SELECT target, until_ms FROM presence_subscriptions WHERE subscriber = ? AND until_ms > ? "
                           "ORDER BY target", (subscriber, now))

    def delete_user(self, username: str) -> None:
        self.db.write("DELETE FROM presence_status WHERE username = ?", (username,))
        self.db.write("DELETE FROM presence_subscriptions WHERE subscriber = ? OR target = ?", (username, username))
