"""Group read receipts: READ_ACK and CHANNEL_ACK to a group or thread (docs/protocol/msync.md §4.2, §4.5).

A READ_ACK reaches every device of the sender of the acked message (queue = the group's), with the
number of members who have read it so far as the first ext entry (the Web SDK turns
`ext[0].stringValue` into `groupReadCount`). `GET /chatgroups/{gid}/acks/{msgId}` lists readers.

A CHANNEL_ACK to a group (the SDK's conversation receipt, `channel` with chatType groupChat) reads
the whole group conversation of the acking member (domain/conversations.py `group_read`) and reaches
only the member's other devices, in the group queue (rule `group-channel-ack`). To a thread it is
not supported; to a room it stays not supported (`unsupported-features-fail`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from im_wire import ErrorCode, Reason, pb

from .. import reasons
from ..domain.conversations import group_read
from ..domain.delivery import deliver, rewrite, user_jid
from ..domain.fanout import device_targets
from ..domain.group_notify import conference_jid
from ..domain.groups import membership_refusal, resolve
from ..domain.queues import conference_queue
from ..domain.results import MetaResult
from ..ids import now_ms
from ..store import StoredMessage
from .dispatch import CONFERENCE

if TYPE_CHECKING:
    from .context import Context
    from .connection import Connection

T = pb.MessageBody
READ_COUNT_KEY = "group_read_count"


def acked_message(ctx: "Context", body: pb.MessageBody, conference: str) -> StoredMessage | None:
    """The group message an ack/recall names, if it was sent to this group or thread."""
    if not body.ackMessageId:
        return None
    original = ctx.store.messages.get(body.ackMessageId)
    if original is None or original.recipient != conference or original.chat_type != T.GROUPCHAT:
        return None
    return original


def handle_read_ack(conn: "Connection", meta: pb.Meta, body: pb.MessageBody) -> MetaResult:
    ctx = conn.ctx
    reader, reader_res = conn.user, conn.resource
    name = meta.to.name
    group, thread = resolve(ctx, name)
    refused = membership_refusal(group, thread, reader)
    if refused is not None:
        return refused
    original = acked_message(ctx, body, name)
    if original is None:
        return MetaResult.fail(ErrorCode.FAIL, Reason.MESSAGE_NOT_EXIST)
    count = ctx.store.groups.add_read_ack(group.id, original.id, reader)
    counted = pb.MessageBody()
    counted.CopyFrom(body)
    del counted.ext[:]
    counted.ext.add(key=READ_COUNT_KEY, type=pb.KeyValue.STRING, stringValue=str(count))
    counted.ext.extend(body.ext)
    out = pb.Meta()
    out.CopyFrom(meta)
    out.payload = counted.SerializeToString()
    server_id = ctx.ids.next()
    ts = now_ms()
    appkey = ctx.appkey
    data = rewrite(out, server_id, ts, user_jid(appkey, reader, reader_res), conference_jid(appkey, name))
    targets = device_targets(ctx, [original.sender], conference_queue(name), skip=(reader, reader_res))
    ctx.events.emit("group.read_ack", id=server_id, group=group.id, msg=original.id, reader=reader, count=count)
    deliver(ctx, StoredMessage(server_id, reader, reader_res, name, T.READ_ACK, data, ts), targets)
    return MetaResult.ok(server_id, ts)


def handle_channel_ack(conn: "Connection", meta: pb.Meta, body: pb.MessageBody) -> MetaResult:
    ctx = conn.ctx
    reader, reader_res = conn.user, conn.resource
    name = meta.to.name
    group, thread = resolve(ctx, name)
    if thread is not None or (group is None and ctx.store.chatrooms.get(name) is not None):
        what = "thread" if thread is not None else "room"
        return MetaResult.fail(ErrorCode.FAIL, reasons.NOT_SUPPORTED.format(f"CHANNEL_ACK to a {what}"))
    refused = membership_refusal(group, None, reader)
    if refused is not None:
        return refused
    server_id = ctx.ids.next()
    ts = now_ms()
    appkey = ctx.appkey
    data = rewrite(meta, server_id, ts, user_jid(appkey, reader, reader_res), conference_jid(appkey, name))
    targets = device_targets(ctx, [reader], conference_queue(name), skip=(reader, reader_res))
    ctx.events.emit("group.channel_ack", id=server_id, group=group.id, reader=reader)
    deliver(ctx, StoredMessage(server_id, reader, reader_res, name, T.CHANNEL_ACK, data, ts), targets)
    group_read(ctx, reader, group.id)
    return MetaResult.ok(server_id, ts)


def install(ctx: "Context") -> None:
    ctx.dispatcher.chat_type(T.READ_ACK, handle_read_ack, scope=CONFERENCE)
    ctx.dispatcher.chat_type(T.CHANNEL_ACK, handle_channel_ack, scope=CONFERENCE)
