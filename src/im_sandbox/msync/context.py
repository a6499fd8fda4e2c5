"""The context every handler receives (REST and msync alike): the domain's `Services`, plus the
transport's hub and dispatcher and the domain services built on them. Built in app.py, in order."""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from aiohttp import web

from ..domain.services import Services

if TYPE_CHECKING:
    from ..domain.chatrooms import Chatrooms
    from ..domain.send_policy import SendPolicy
    from ..domain.traffic import TrafficControl
    from .dispatch import Dispatcher
    from .hub import Hub


@dataclass(kw_only=True)
class Context(Services):
    hub: "Hub"                    # every connection (the domain sees it as `Devices`)
    dispatcher: "Dispatcher"      # msync handler registries
    send_policy: "SendPolicy"     # mute, size, sensitive-word and rate checks for every chat type
    traffic: "TrafficControl"     # downstream traffic control of group messages
    chatrooms: "Chatrooms"        # membership, presence, room messages and notifications

    @classmethod
    def over(cls, services: Services, **parts) -> "Context":
        """The handlers' context: `services` (shared, not copied) and the parts built on them."""
        return cls(**{f.name: getattr(services, f.name) for f in fields(Services)}, **parts)


# where the aiohttp application keeps the Context
CTX_KEY: web.AppKey[Context] = web.AppKey("sandbox_ctx", Context)
