"""UNREAD: the list of queues with pending items; also the client's heartbeat (docs/protocol/msync.md §3.5, §3.8)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from im_wire import pb

from ..domain.queues import queue_jid
from ..ids import now_ms
from . import replies
from .replies import UNREAD

if TYPE_CHECKING:
    from .context import Context
    from .connection import Connection


def handle(conn: "Connection", msg: pb.MSync, ul: pb.CommUnreadUL) -> None:
    appkey = conn.ctx.appkey
    rows = conn.ctx.store.messages.unread(conn.user, conn.resource)
    conn.send(replies.unread([(queue_jid(appkey, qkey), n) for qkey, n in rows], now_ms()))


def install(ctx: "Context") -> None:
    ctx.dispatcher.command(UNREAD, pb.CommUnreadUL, handle)
