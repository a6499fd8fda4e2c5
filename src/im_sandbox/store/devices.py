"""Known devices: a (user, resource) pair that has provisioned at least once."""
from __future__ import annotations

from ..ids import now_ms
from .db import Database


class DeviceStore:
    def __init__(self, db: Database):
        self.db = db
        self._known: dict[str, tuple[str, ...]] = {}

    def known(self, username: str) -> tuple[str, ...]:
        """Resources of the user's known devices (cached; all writes go through this class)."""
        try:
            return self._known[username]
        except KeyError:
            pass
        rows = self.db.all("SELECT resource FROM devices WHERE username = ?", (username,))
        resources = tuple(r[0] for r in rows)
        self._known[username] = resources
        return resources

    def seen(self, username: str, resource: str, device_uuid: str | None = None,
             device_name: str | None = None, os_type: int | None = None) -> bool:
        """Record a successful provision; returns True when the device is new."""
        now = now_ms()
        is_new = resource not in self.known(username)
        if is_new:
            self.db.write(
                "INSERT INTO devices (username, resource, device_uuid, device_name, os_type, first_seen, last_seen)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (username, resource, device_uuid, device_name, os_type, now, now),
            )
            self._known[username] = self._known[username] + (resource,)
        else:
            self.db.write(
                "UPDATE devices SET device_uuid = ?, device_name = ?, os_type = ?, last_seen = ?"
                " WHERE username = ? AND resource = ?",
                (device_uuid, device_name, os_type, now, username, resource),
            )
        return is_new

    def touch(self, username: str, resource: str) -> None:
        self.db.write(
            "UPDATE devices SET last_seen = ? WHERE username = ? AND resource = ?", (now_ms(), username, resource)
        )

    def info(self, username: str, resource: str) -> dict | None:
        row = self.db.one(
            "SELECT device_uuid, device_name, os_type, first_seen, last_seen FROM devices"
            " WHERE username = ? AND resource = ?",
            (username, resource),
        )
        if row is None:
            return None
        keys = ("device_uuid", "device_name", "os_type", "first_seen", "last_seen")
        return dict(zip(keys, row))

    def delete_user(self, username: str) -> None:
        self.db.write("DELETE FROM devices WHERE username = ?", (username,))
        self._known[username] = ()
