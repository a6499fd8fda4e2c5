"""msync over TCP and WebSocket: connection state machine, handlers, delivery.

Feature modules expose `install(ctx)` and register their namespace / message-type handlers with
`ctx.dispatcher`; add new ones to FEATURES.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from . import chat, chatrooms, group_recall, group_receipts, groupchat, recall, sync

if TYPE_CHECKING:
    from ..context import Context

FEATURES = (sync, chat, recall, groupchat, group_receipts, group_recall, chatrooms)


def install(ctx: "Context") -> None:
    for feature in FEATURES:
        feature.install(ctx)
