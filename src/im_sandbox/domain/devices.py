"""Connected devices as the domain sees them: the protocols `msync.hub.Hub` and
`msync.connection.Connection` implement, so the domain never imports the transports.

    conn = ctx.hub.device("bob", "phone")    # a Device, or None when not connected
    conn.notify(qkey)                        # NOTICE a queue
    ctx.hub.push(room_jid, metas, devices)   # one direct-push SYNC frame to many devices
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Protocol

from im_wire import pb

if TYPE_CHECKING:
    from .results import MetaResult

# the STATISTIC kick operations (docs/protocol/msync.md §3.9)
USER_REMOVED = pb.StatisticsBody.USER_REMOVED
LOGIN_ANOTHER_DEVICE = pb.StatisticsBody.USER_LOGIN_ANOTHER_DEVICE
KICKED_BY_CHANGE_PASSWORD = pb.StatisticsBody.USER_KICKED_BY_CHANGE_PASSWORD
KICKED_BY_OTHER_DEVICE = pb.StatisticsBody.USER_KICKED_BY_OTHER_DEVICE


class Device(Protocol):
    """One provisioned connection of a user."""

    user: str | None
    resource: str | None
    closed: bool

    def describe(self) -> str: ...

    def notify(self, qkey: str) -> None:
        """NOTICE a queue, at most once until the device pulls it."""

    def ack(self, meta_id: int | None, result: "MetaResult") -> None:
        """Answer an upstream meta (for acks sent later, like those of traffic control)."""


class Devices(Protocol):
    """Every connected device, by (user, resource)."""

    generation: int  # changes whenever a device comes or goes

    def device(self, user: str, resource: str) -> Device | None: ...

    def user_devices(self, user: str) -> dict[str, Device]: ...

    def online(self, user: str) -> bool: ...

    def push(self, queue: pb.JID, metas: list[bytes], devices: Iterable[Device]) -> int:
        """One unsolicited SYNC frame with `metas` for `queue` to each device; returns how many."""

    def kick(self, user: str, resource: str | None, operation: int, reason: str | None = None) -> int:
        """The STATISTIC kick to the user's devices (or one of them), then close them."""
