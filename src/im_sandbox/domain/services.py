"""What every domain function is handed: `ctx: Services`.

Built once, in order, by the composition root (`app.py`); the handlers' `Context` (context.py)
extends it with the transport's own parts and the domain services built on top of it.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..config import SandboxConfig
from ..events import EventLog
from ..faults import Faults
from ..ids import IdGenerator
from ..store import Store
from ..store.app_config import AppConfig
from .auth import Auth

if TYPE_CHECKING:
    from ..store.mutes import MuteStore
    from .devices import Devices


@dataclass(kw_only=True)
class Services:
    config: SandboxConfig
    store: Store
    auth: Auth
    ids: IdGenerator
    events: EventLog
    loop: asyncio.AbstractEventLoop
    app_config: AppConfig
    faults: Faults  # named faults (faults/), all off by default
    hub: "Devices"  # the connected devices (msync.hub.Hub)

    @property
    def appkey(self) -> str:
        return self.config.appkey

    @property
    def mutes(self) -> "MuteStore":
        """Global user mutes: `ctx.mutes.is_muted(user, "groupchat")`."""
        return self.store.mutes
