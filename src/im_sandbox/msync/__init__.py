"""msync over TCP and WebSocket: the connection state machine, the transports, the command handlers.

Feature modules expose `install(ctx)` and register their command / namespace / message-type
handlers with `ctx.dispatcher`; add new ones to FEATURES. What the handlers do beyond the wire is
the domain's (`im_sandbox.domain`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from . import edit
from . import chat, chatrooms, group_recall, group_receipts, groupchat, provision, recall, sync, unread
from . import roster

if TYPE_CHECKING:
    from .context import Context

FEATURES = (provision, unread, sync, chat, recall, groupchat, group_receipts, group_recall, chatrooms, roster,
            edit)


def install(ctx: "Context") -> None:
    for feature in FEATURES:
        feature.install(ctx)
