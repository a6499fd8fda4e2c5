"""The shared state every handler receives (REST and msync alike)."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from aiohttp import web

from .appconfig import AppConfig
from .auth import Auth
from .config import SandboxConfig
from .events import EventLog
from .faults import Faults
from .ids import IdGenerator
from .store import Store

if TYPE_CHECKING:
    from .chatrooms import Chatrooms
    from .msync.dispatch import Dispatcher
    from .msync.hub import Hub
    from .msync.traffic import TrafficControl
    from .send_policy import SendPolicy
    from .store.mutes import MuteStore


@dataclass
class Context:
    config: SandboxConfig
    store: Store
    auth: Auth
    ids: IdGenerator
    events: EventLog
    hub: "Hub"
    dispatcher: "Dispatcher"
    loop: asyncio.AbstractEventLoop
    app_config: AppConfig
    faults: Faults = field(default_factory=Faults)  # named faults (faults.py), all off by default

    @property
    def appkey(self) -> str:
        return self.config.appkey

    @property
    def mutes(self) -> "MuteStore":
        """Global user mutes: `ctx.mutes.is_muted(user, "groupchat")`."""
        return self.store.mutes

    @cached_property
    def send_policy(self) -> "SendPolicy":
        """Mute, size, sensitive-word and rate checks for every chat type (send_policy.py)."""
        from .send_policy import SendPolicy

        return SendPolicy(self)

    @cached_property
    def traffic(self) -> "TrafficControl":
        """Downstream traffic control of group messages (msync/traffic.py)."""
        from .msync.traffic import TrafficControl

        return TrafficControl(self)

    @cached_property
    def chatrooms(self) -> "Chatrooms":
        """Chatrooms: membership, presence, room messages and notifications (chatrooms/)."""
        from .chatrooms import Chatrooms

        return Chatrooms(self)


# where the aiohttp application keeps the Context
CTX_KEY: web.AppKey[Context] = web.AppKey("sandbox_ctx", Context)
