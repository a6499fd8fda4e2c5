"""msync over TCP and WebSocket: connection state machine, handlers, delivery.

Feature modules expose `install(ctx)` and register their namespace / message-type handlers with
`ctx.dispatcher`; add new ones to FEATURES.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from . import chat, sync

if TYPE_CHECKING:
    from ..context import Context

FEATURES = (sync, chat)


def install(ctx: "Context") -> None:
    for feature in FEATURES:
        feature.install(ctx)
