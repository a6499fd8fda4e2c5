"""Who is connected: every live connection, and the provisioned ones by (user, resource).

Also the idle sweeper, server-initiated kicks and direct pushes. The Hub is the domain's
`Devices` (domain/devices.py): the domain reaches connections through it and never imports them.
"""
from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Callable, Iterable, Protocol

from im_wire import pb

from ..domain.devices import Device
from ..domain.queues import queue_jid
from ..faults import seam
from ..ids import now_ms
from . import replies

if TYPE_CHECKING:
    from ..config import SandboxConfig
    from ..faults import Faults

log = logging.getLogger(__name__)


class Link(Device, Protocol):
    """What the hub needs of a connection (msync/connection.py), beyond what the domain sees."""

    last_active: float

    def send(self, frame: bytes) -> None: ...

    def kick(self, operation: int, reason: str | None = None) -> None: ...

    def close(self, reason: str, code: int = 1000, abort: bool = False) -> None: ...


class Hub:
    def __init__(self, config: "SandboxConfig", loop: asyncio.AbstractEventLoop, faults: "Faults"):
        self.config = config
        self.loop = loop
        self.faults = faults
        self.connections: set["Link"] = set()
        self.devices: dict[str, dict[str, "Link"]] = {}
        self.generation = 0  # bumped whenever a device comes or goes: plans made before are stale
        self._notice_frames: dict[str, bytes] = {}
        # TCP sockets until they are really gone (a closed connection may still linger)
        self.open_transports: set[asyncio.BaseTransport] = set()
        self._sweeper: asyncio.Task | None = None
        # called with each provisioned connection that goes away (features keep per-device state)
        self.disconnect_listeners: list[Callable[["Link"], None]] = []

    # -- registration --------------------------------------------------------------------
    def add(self, conn: "Link") -> None:
        self.connections.add(conn)

    def bind(self, conn: "Link") -> None:
        self.devices.setdefault(conn.user, {})[conn.resource] = conn
        self.generation += 1

    def remove(self, conn: "Link") -> None:
        self.connections.discard(conn)
        if conn.user is None:
            return
        devices = self.devices.get(conn.user)
        if devices is not None and devices.get(conn.resource) is conn:
            del devices[conn.resource]
            self.generation += 1
            if not devices:
                del self.devices[conn.user]
        for listener in self.disconnect_listeners:
            try:
                listener(conn)
            except Exception:  # a feature's bookkeeping must never stop a close
                log.exception("disconnect listener %r failed for %s", listener, conn.describe())

    # -- lookups -------------------------------------------------------------------------
    def device(self, user: str, resource: str) -> "Link | None":
        devices = self.devices.get(user)
        return devices.get(resource) if devices else None

    def user_devices(self, user: str) -> dict[str, "Link"]:
        return self.devices.get(user) or {}

    def online(self, user: str) -> bool:
        return bool(self.devices.get(user))

    # -- pushes --------------------------------------------------------------------------
    def notice_frame(self, qkey: str) -> bytes:
        frame = self._notice_frames.get(qkey)
        if frame is None:
            if len(self._notice_frames) > 50_000:
                self._notice_frames.clear()
            frame = self._notice_frames[qkey] = replies.notice(queue_jid(self.config.appkey, qkey))
        return frame

    def push(self, queue: pb.JID, metas: list[bytes], devices: Iterable["Link"]) -> int:
        """One unsolicited SYNC frame (docs/protocol/msync.md §3.6) with `metas` for `queue` to each device."""
        frame = replies.push(queue, metas, now_ms())
        sent = 0
        for conn in devices:
            conn.send(frame)
            sent += 1
        return sent

    @seam("hub.kick")
    def kick(self, user: str, resource: str | None, operation: int, reason: str | None = None) -> int:
        """Send the STATISTIC kick to the user's devices (or one of them) and close them."""
        targets = list(self.user_devices(user).values())
        if resource is not None:
            targets = [c for c in targets if c.resource == resource]
        for conn in targets:
            conn.kick(operation, reason)
        return len(targets)

    # -- lifecycle -----------------------------------------------------------------------
    def start(self) -> None:
        self._sweeper = self.loop.create_task(self._sweep_idle())

    async def _sweep_idle(self) -> None:
        timeout = self.config.idle_timeout
        if timeout <= 0:
            return
        period = max(0.05, min(timeout / 4, 5.0))
        loop = self.loop
        while True:
            await asyncio.sleep(period)
            deadline = loop.time() - timeout
            for conn in [c for c in self.connections if c.last_active < deadline]:
                log.info("closing %s: silent for more than %.0f s", conn.describe(), timeout)
                conn.close("idle timeout")

    async def stop(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            try:
                await self._sweeper
            except asyncio.CancelledError:
                pass
        for conn in list(self.connections):
            conn.close("server shutdown", code=1001)
        for transport in list(self.open_transports):
            transport.close()
