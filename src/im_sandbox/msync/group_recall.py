"""Recall of a group or thread message over msync, on the shared recall core (domain/recall.py)
and its `groupchat` scope (domain/group_recall.py).

Members recall their own messages; the owner and admins may recall anyone's (they go through the
core as the app admin would, so only the time limit and the feature switch apply to them). The
core removes the original from every queue and from history; the RECALL notice then reaches every
member's devices in the conference queue, like a message. The `groupchat` scope is also what the
REST recall uses for `chat_type: groupchat`. A RECALL to a room is handed to msync/room_recall.py.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from im_wire import ErrorCode, Reason, pb

from ..domain import recall
from ..domain.delivery import deliver, rewrite, user_jid
from ..domain.group_notify import conference_jid
from ..domain.group_recall import GROUPCHAT
from ..domain.room_recall import CHATROOM
from ..domain.groups import membership_refusal, resolve
from ..domain.results import MetaResult
from ..ids import now_ms
from ..store import StoredMessage
from .recall import notice_targets
from .dispatch import CONFERENCE
from .room_recall import handle_room_recall

if TYPE_CHECKING:
    from .context import Context
    from .connection import Connection

T = pb.MessageBody


def handle_recall(conn: "Connection", meta: pb.Meta, body: pb.MessageBody) -> MetaResult:
    ctx = conn.ctx
    user, resource = conn.user, conn.resource
    name = meta.to.name
    group, thread = resolve(ctx, name)
    if group is None and ctx.store.chatrooms.get(name) is not None:
        return handle_room_recall(conn, meta, body)
    refused = membership_refusal(group, thread, user)
    if refused is not None:
        return refused
    if not body.ackMessageId:
        return MetaResult.fail(ErrorCode.WRONG_PARAMETER, Reason.BAD_PAYLOAD)
    recaller = None if group.is_manager(user) else user
    try:
        original = recall.find_recallable(ctx, body.ackMessageId, recaller, name, GROUPCHAT)
    except recall.Refused as refusal:
        ctx.events.emit("recall.refused", id=body.ackMessageId, by=user, why=refusal.why, group=group.id)
        return MetaResult.fail(*recall.MSYNC_STATUS[refusal.why])
    recall.remove_original(ctx, original, user)
    server_id, ts = ctx.ids.next(), now_ms()
    appkey = ctx.appkey
    data = rewrite(meta, server_id, ts, user_jid(appkey, user, resource), conference_jid(appkey, name))
    ctx.events.emit("group.recall", id=original.id, recall_id=server_id, by=user, group=group.id,
                    thread=thread.id if thread else None)
    deliver(ctx, StoredMessage(server_id, user, resource, name, T.RECALL, data, ts),
            notice_targets(ctx, GROUPCHAT, original, user, resource))
    return MetaResult.ok(server_id, ts)


def install(ctx: "Context") -> None:
    recall.RECALL_SCOPES[GROUPCHAT.name] = GROUPCHAT
    recall.RECALL_SCOPES[CHATROOM.name] = CHATROOM
    ctx.dispatcher.chat_type(T.RECALL, handle_recall, scope=CONFERENCE)
