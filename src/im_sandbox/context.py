"""The shared state every handler receives (REST and msync alike)."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web

from .appconfig import AppConfig
from .auth import Auth
from .config import SandboxConfig
from .events import EventLog
from .ids import IdGenerator
from .store import Store

if TYPE_CHECKING:
    from .msync.dispatch import Dispatcher
    from .msync.hub import Hub


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

    @property
    def appkey(self) -> str:
        return self.config.appkey


# where the aiohttp application keeps the Context
CTX_KEY: web.AppKey[Context] = web.AppKey("sandbox_ctx", Context)
