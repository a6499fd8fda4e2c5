"""Chatrooms over msync: JOIN / LEAVE on the system queue (docs/protocol/msync.md §5.1) and CHATROOM messages.

JOIN answers `CommSyncDL{status OK, metaId, serverId, metas:[MUC meta]}` where the MUC meta's
`MUCBody.status.chatroomInfo` is the JSON `{"<user>": {is_all_mute, create_timestamp,
is_in_white_list, member_count, mute_duration}}` the SDK reads; refusals are FAIL + the reason
strings of docs/protocol/msync.md §5.1 (see domain/chatrooms/errors.py). The logic lives in `ctx.chatrooms`.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from im_wire import ErrorCode, Reason, pb

from ..domain.chatrooms import RoomError
from ..domain.results import MetaResult
from ..ids import now_ms
from . import muc
from .dispatch import CONFERENCE

if TYPE_CHECKING:
    from .context import Context
    from .connection import Connection

Op = pb.MUCBody


def _refused(exc: RoomError) -> MetaResult:
    return MetaResult.fail(exc.code, exc.reason)


def handle_join(conn: "Connection", meta: pb.Meta, body: pb.MUCBody) -> MetaResult:
    ctx = conn.ctx
    room_id = body.mucId.name
    ext = body.ext if body.HasField("ext") else None
    try:
        info = ctx.chatrooms.join(conn, room_id, ext, body.leaveOtherRooms)
    except RoomError as exc:
        ctx.events.emit("chatroom.join_refused", room=room_id, user=conn.user, reason=exc.reason)
        return _refused(exc)
    notifier = ctx.chatrooms.notify
    reply = notifier.muc_body(room_id, Op.JOIN, operator=conn.user)
    reply.status.errorCode = Op.Status.OK
    reply.status.chatroomInfo = json.dumps(info, separators=(",", ":"))
    return MetaResult.ok(ctx.ids.next(), now_ms(), [notifier.muc_meta(room_id, reply)])


def handle_leave(conn: "Connection", meta: pb.Meta, body: pb.MUCBody) -> MetaResult:
    ctx = conn.ctx
    room_id = body.mucId.name
    try:
        ctx.chatrooms.room(room_id)
    except RoomError as exc:
        return _refused(exc)
    if not ctx.chatrooms.leave(room_id, conn.user):
        return MetaResult.fail(ErrorCode.FAIL, Reason.NOT_IN_GROUP)
    return MetaResult.ok(ctx.ids.next(), now_ms())


def handle_message(conn: "Connection", meta: pb.Meta, body: pb.MessageBody) -> MetaResult:
    return conn.ctx.chatrooms.sender.from_device(conn, meta, body)


def install(ctx: "Context") -> None:
    router = muc.router(ctx)
    router.register(Op.JOIN, handle_join, chatroom=True)
    router.register(Op.LEAVE, handle_leave, chatroom=True)
    ctx.dispatcher.chat_type(pb.MessageBody.CHATROOM, handle_message, scope=CONFERENCE)
    ctx.hub.disconnect_listeners.append(lambda conn: ctx.chatrooms.on_disconnect(conn))
