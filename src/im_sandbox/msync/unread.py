"""UNREAD: the list of queues with pending items; also the client's heartbeat (msync.md §3.5, §3.8)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from google.protobuf.message import DecodeError

from im_client.protocol import ErrorCode, Reason, pb

from ..ids import now_ms
from . import replies
from .queues import queue_jid
from .replies import UNREAD

if TYPE_CHECKING:
    from .connection import Connection


def handle(conn: "Connection", msg: pb.MSync) -> None:
    if msg.payload:
        try:
            pb.CommUnreadUL.FromString(msg.payload)
        except DecodeError as exc:
            conn.protocol_error(UNREAD, ErrorCode.PB_PARSER_ERROR, Reason.BAD_PAYLOAD, str(exc))
            return
    appkey = conn.ctx.appkey
    rows = conn.ctx.store.messages.unread(conn.user, conn.resource)
    conn.send(replies.unread([(queue_jid(appkey, qkey), n) for qkey, n in rows], now_ms()))
