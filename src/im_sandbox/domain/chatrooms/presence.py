"""Who is present in each room right now (kept in memory, like the real server's room processes).

A user is present in a room from a successful JOIN until they leave, are kicked, or their last
joined device has been disconnected for `chatroom_leave_grace` seconds. Devices are tracked one
by one: room messages are pushed to every joined device that is still connected. While a user's
devices are all gone the user *lingers*: still present (counted, no ABSENCE yet) until the grace
timer fires or a device joins again.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Callable, Iterator

if TYPE_CHECKING:
    import asyncio

    from ..devices import Device

log = logging.getLogger(__name__)


class RoomPresence:
    __slots__ = ("devices", "lingering")

    def __init__(self) -> None:
        self.devices: dict[str, dict[str, "Device"]] = {}   # user -> resource -> connection
        self.lingering: dict[str, "asyncio.TimerHandle"] = {}   # user -> grace timer

    def count(self) -> int:
        return len(self.devices) + len(self.lingering)

    def has(self, user: str) -> bool:
        return user in self.devices or user in self.lingering


class PresenceRegistry:
    def __init__(self, loop: "asyncio.AbstractEventLoop", grace: Callable[[], float],
                 on_grace_over: Callable[[str, str], None]):
        self.loop = loop
        self.grace = grace
        self.on_grace_over = on_grace_over
        self.rooms: dict[str, RoomPresence] = {}
        self.joined: dict["Device", set[str]] = {}  # connection -> rooms it joined

    # -- queries -------------------------------------------------------------------------
    def count(self, room_id: str) -> int:
        room = self.rooms.get(room_id)
        return room.count() if room else 0

    def is_present(self, room_id: str, user: str) -> bool:
        room = self.rooms.get(room_id)
        return room is not None and room.has(user)

    def users(self, room_id: str) -> list[str]:
        room = self.rooms.get(room_id)
        return [*room.devices, *room.lingering] if room else []

    def connections(self, room_id: str, skip: "Device | None" = None) -> Iterator["Device"]:
        """Every connected device that joined the room (minus `skip`)."""
        room = self.rooms.get(room_id)
        if room is None:
            return
        for devices in room.devices.values():
            for conn in devices.values():
                if conn is not skip and not conn.closed:
                    yield conn

    def user_connections(self, room_id: str, user: str) -> list["Device"]:
        room = self.rooms.get(room_id)
        devices = room.devices.get(user) if room else None
        return [c for c in devices.values() if not c.closed] if devices else []

    # -- changes -------------------------------------------------------------------------
    def join(self, room_id: str, conn: "Device") -> bool:
        """Add a joined device; True when its user was not present before."""
        room = self.rooms.setdefault(room_id, RoomPresence())
        user = conn.user
        timer = room.lingering.pop(user, None)
        if timer is not None:
            timer.cancel()
            newly = False
        else:
            newly = user not in room.devices
        room.devices.setdefault(user, {})[conn.resource] = conn
        self.joined.setdefault(conn, set()).add(room_id)
        return newly

    def remove(self, room_id: str, user: str) -> bool:
        """The user is no longer present (left, kicked, grace over); True when they were."""
        room = self.rooms.get(room_id)
        if room is None:
            return False
        timer = room.lingering.pop(user, None)
        if timer is not None:
            timer.cancel()
        devices = room.devices.pop(user, None)
        for conn in (devices or {}).values():
            rooms = self.joined.get(conn)
            if rooms is not None:
                rooms.discard(room_id)
                if not rooms:
                    del self.joined[conn]
        if not room.devices and not room.lingering:
            del self.rooms[room_id]
        return timer is not None or devices is not None

    def drop_room(self, room_id: str) -> list[str]:
        """Forget a destroyed room; returns the users who were present."""
        users = self.users(room_id)
        for user in users:
            self.remove(room_id, user)
        return users

    def disconnected(self, conn: "Device") -> None:
        """A device went away: leave its rooms; its user lingers where it was the last device."""
        for room_id in self.joined.pop(conn, ()):
            room = self.rooms.get(room_id)
            devices = room.devices.get(conn.user) if room else None
            if not devices or devices.get(conn.resource) is not conn:
                continue
            del devices[conn.resource]
            if devices:
                continue
            del room.devices[conn.user]
            room.lingering[conn.user] = self.loop.call_later(self.grace(), self._grace_over, room_id, conn.user)

    def _grace_over(self, room_id: str, user: str) -> None:
        """The timer fired: the callback makes the user leave (and calls remove())."""
        room = self.rooms.get(room_id)
        if room is None or user not in room.lingering:
            return
        try:
            self.on_grace_over(room_id, user)
        except Exception:  # a timer callback has nobody to report to but the log
            log.exception("leaving room %s for %s after the grace period failed", room_id, user)
            self.remove(room_id, user)
