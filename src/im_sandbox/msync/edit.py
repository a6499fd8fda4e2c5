"""EDIT over msync (docs/protocol/msync.md §4.2): the sender replaces the content of a 1:1, group or room message.

On the shared core (domain/edit.py): check, store the edited version, deliver the EDIT notice
like a message of the conversation (1:1: the peer's devices and the editor's other devices; group
or thread: every member device but the editing one, conference queue; room: pushed to the devices
present but the editing one), and ack OK with the NOTIFY meta `{"edit_msg": {...}}`. Refusals:
FAIL `Sorry, message does not exist` (unknown, recalled, another conversation), `Sorry, You do not
have permission` (someone else's), `Sorry, format is incorrect` (a command, another content
kind, no content), `Sorry, edit limit reached`; group/room membership as for sending.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from im_wire import ErrorCode, Reason, pb

from ..domain import edit
from ..domain.chat import one_to_one_targets
from ..domain.chatrooms.notify import room_jid
from ..domain.delivery import deliver, rewrite, user_jid
from ..domain.fanout import device_targets
from ..domain.group_notify import conference_jid
from ..domain.groups import membership_refusal, resolve
from ..domain.queues import conference_queue
from ..domain.results import MetaResult
from ..ids import now_ms
from ..store import StoredMessage
from .dispatch import CONFERENCE, USER

if TYPE_CHECKING:
    from ..context import Context
    from .connection import Connection

T = pb.MessageBody


def _checked(conn: "Connection", body: pb.MessageBody, conversation: str, chat_type: int):
    """(original, info, content, ext) of an accepted edit, or the refusal MetaResult."""
    ctx = conn.ctx
    if not body.editMessageId or not body.contents:
        return MetaResult.fail(ErrorCode.FAIL, Reason.FORMAT_INCORRECT)
    content = body.contents[0]
    ext = list(body.ext) if body.editScope == T.BODY_AND_EXT else None
    try:
        original = edit.find_editable(ctx, body.editMessageId, conn.user, conversation, chat_type)
        info = edit.apply_edit(ctx, original, conn.user, content, ext)
    except edit.EditRefused as refused:
        ctx.events.emit("edit.refused", id=body.editMessageId, by=conn.user, why=refused.why)
        return MetaResult.fail(*edit.MSYNC_STATUS[refused.why])
    return original, info, content, ext


def _notice(conn: "Connection", meta: pb.Meta, original: StoredMessage, info: dict, content, ext,
            to_jid: pb.JID) -> tuple[StoredMessage, int, int]:
    ctx = conn.ctx
    server_id, ts = ctx.ids.next(), now_ms()
    out = pb.Meta()
    out.CopyFrom(meta)
    out.payload = edit.notice_body(original, conn.user, content, ext, info).SerializeToString()
    data = rewrite(out, server_id, ts, user_jid(ctx.appkey, conn.user, conn.resource), to_jid)
    return StoredMessage(server_id, conn.user, conn.resource, original.recipient, T.EDIT, data, ts), server_id, ts


def handle_one_to_one(conn: "Connection", meta: pb.Meta, body: pb.MessageBody) -> MetaResult:
    ctx = conn.ctx
    checked = _checked(conn, body, meta.to.name.lower(), T.CHAT)
    if isinstance(checked, MetaResult):
        return checked
    original, info, content, ext = checked
    notice, server_id, ts = _notice(conn, meta, original, info, content, ext, user_jid(ctx.appkey, original.recipient))
    deliver(ctx, notice, one_to_one_targets(ctx, conn.user, conn.resource, original.recipient, online_only=False))
    return MetaResult.ok(server_id, ts, [edit.ack_meta(ctx, info)])


def handle_conference(conn: "Connection", meta: pb.Meta, body: pb.MessageBody) -> MetaResult:
    ctx = conn.ctx
    name = meta.to.name
    group, thread = resolve(ctx, name)
    if group is None and ctx.store.chatrooms.get(name) is not None:
        return _room_edit(conn, meta, body, name)
    refused = membership_refusal(group, thread, conn.user)
    if refused is not None:
        return refused
    checked = _checked(conn, body, name, T.GROUPCHAT)
    if isinstance(checked, MetaResult):
        return checked
    original, info, content, ext = checked
    notice, server_id, ts = _notice(conn, meta, original, info, content, ext, conference_jid(ctx.appkey, name))
    members = list(thread.members if thread is not None else group.members)
    deliver(ctx, notice, device_targets(ctx, members, conference_queue(name), skip=(conn.user, conn.resource)))
    return MetaResult.ok(server_id, ts, [edit.ack_meta(ctx, info)])


def _room_edit(conn: "Connection", meta: pb.Meta, body: pb.MessageBody, room_id: str) -> MetaResult:
    ctx = conn.ctx
    if ctx.store.chatrooms.role(room_id, conn.user) is None:
        return MetaResult.fail(ErrorCode.FAIL, Reason.NOT_IN_GROUP)
    checked = _checked(conn, body, room_id, T.CHATROOM)
    if isinstance(checked, MetaResult):
        return checked
    original, info, content, ext = checked
    notice, server_id, ts = _notice(conn, meta, original, info, content, ext, room_jid(ctx.appkey, room_id))
    ctx.store.messages.add(notice, [])
    rooms = ctx.chatrooms
    rooms.notify.push(room_id, [notice.meta], list(rooms.presence.connections(room_id, skip=conn)))
    return MetaResult.ok(server_id, ts, [edit.ack_meta(ctx, info)])


def install(ctx: "Context") -> None:
    ctx.dispatcher.chat_type(T.EDIT, handle_one_to_one, scope=USER)
    ctx.dispatcher.chat_type(T.EDIT, handle_conference, scope=CONFERENCE)
