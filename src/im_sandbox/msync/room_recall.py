"""Recall of a room message over msync, on the shared recall core (domain/recall.py) and its
`chatroom` scope (domain/room_recall.py). A RECALL to a room JID reaches this handler through the
conference RECALL handler (msync/group_recall.py), which hands over names that are rooms.

Members recall their own messages, the owner and admins anyone's; a non-member gets FAIL `not in
group or chatroom`. The original leaves history; the RECALL notice is stored (not history) and
pushed to the devices present but the recalling one (so the sender's other present devices hear
of it too)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from im_wire import ErrorCode, Reason, pb

from ..domain import recall
from ..domain.chatrooms.notify import room_jid
from ..domain.delivery import rewrite, user_jid
from ..domain.results import MetaResult
from ..domain.room_recall import CHATROOM
from ..ids import now_ms
from ..store import StoredMessage
from ..store.chatrooms import ADMIN, OWNER

if TYPE_CHECKING:
    from ..context import Context
    from .connection import Connection

T = pb.MessageBody


def handle_room_recall(conn: "Connection", meta: pb.Meta, body: pb.MessageBody) -> MetaResult:
    ctx = conn.ctx
    room_id = meta.to.name
    role = ctx.store.chatrooms.role(room_id, conn.user)
    if role is None:
        return MetaResult.fail(ErrorCode.FAIL, Reason.NOT_IN_GROUP)
    if not body.ackMessageId:
        return MetaResult.fail(ErrorCode.WRONG_PARAMETER, Reason.BAD_PAYLOAD)
    recaller = None if role in (OWNER, ADMIN) else conn.user
    try:
        original = recall.find_recallable(ctx, body.ackMessageId, recaller, room_id, CHATROOM)
    except recall.Refused as refusal:
        ctx.events.emit("recall.refused", id=body.ackMessageId, by=conn.user, why=refusal.why, room=room_id)
        return MetaResult.fail(*recall.MSYNC_STATUS[refusal.why])
    recall.remove_original(ctx, original, conn.user)
    server_id, ts = ctx.ids.next(), now_ms()
    data = rewrite(meta, server_id, ts, user_jid(ctx.appkey, conn.user, conn.resource), room_jid(ctx.appkey, room_id))
    push_notice(ctx, StoredMessage(server_id, conn.user, conn.resource, room_id, T.RECALL, data, ts), skip=conn)
    return MetaResult.ok(server_id, ts)


def push_notice(ctx: "Context", notice: StoredMessage, skip=None) -> int:
    """Store the RECALL notice (no queue items) and push it to the room's present devices."""
    ctx.store.messages.add(notice, [])
    rooms = ctx.chatrooms
    return rooms.notify.push(notice.recipient, [notice.meta], list(rooms.presence.connections(notice.recipient, skip=skip)))
