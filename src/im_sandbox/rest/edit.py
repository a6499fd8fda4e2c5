"""REST edit (docs/protocol/rest.md §3.5): `PUT /messages/rewrite/{msg_id}`, app token.

Body {user?, new_msg: {type: "txt", msg} | {type: "custom", customEvent?, customExts?}, new_ext?,
is_combine_ext? (default true: new_ext is merged into the message's ext; false replaces it)}.
Without `user` the app admin edits (any sender's message); with it, only that sender's. On the
shared core (domain/edit.py); the EDIT notice (from the editor) reaches the conversation: 1:1 the
receiver's and the sender's devices, group every member's devices, room the devices present.
Answer `{"action": "put", "data": "success"}`. Errors as docs/protocol/rest.md §3.5 lists them.
"""
from __future__ import annotations

from im_wire import pb

from ..domain import edit as core
from ..domain.chatrooms.notify import room_jid
from ..domain.delivery import deliver, user_jid
from ..domain.fanout import device_targets
from ..domain.group_notify import conference_jid
from ..domain.groups import resolve
from ..domain.queues import conference_queue, user_queue
from ..ids import now_ms
from ..store import PENDING, StoredMessage
from .envelope import RestError
from .message_build import SendRequest, content, ext_entries
from .routing import Auth, Call, RouteTable

routes = RouteTable()
T = pb.MessageBody
ADMIN = "admin"


def rewrite_error(status: int, description: str, exception: str = "MessageRewriteException") -> RestError:
    return RestError(status, "message_rewrite_error", description, exception)


UNSUPPORTED = "The message is of a type that is currently not supported for modification."
REFUSALS = {
    core.NOT_FOUND: lambda: rewrite_error(404, "The message is unavailable or has expired.",
                                          "MessageUnavailableException"),
    core.NOT_YOURS: lambda: rewrite_error(401, "You are not authorized to edit this message."),
    core.FORMAT: lambda: rewrite_error(400, UNSUPPORTED),
    core.LIMIT: lambda: rewrite_error(403, "The message has reached its edit limit and cannot be modified further."),
}


def _new_content(new_msg) -> pb.MessageBody.Content:
    if not isinstance(new_msg, dict) or not new_msg:
        raise RestError(400, "illegal_argument", "new_msg is required", "IllegalArgumentException")
    kind = new_msg.get("type")
    if kind not in ("txt", "custom"):
        raise rewrite_error(400, UNSUPPORTED)
    fields = {k: v for k, v in new_msg.items() if k != "type"}
    try:
        return content(SendRequest(ADMIN, [], kind, fields, {}, False, False))
    except RestError as exc:
        raise RestError(400, "illegal_argument", exc.description, "IllegalArgumentException") from None


def _new_ext(original: StoredMessage, new_ext, combine: bool) -> list[pb.KeyValue] | None:
    if new_ext is None:
        return None
    if not isinstance(new_ext, dict):
        raise RestError(400, "illegal_argument", "new_ext must be a JSON object", "IllegalArgumentException")
    entries = ext_entries(new_ext)
    if not combine:
        return entries
    kept = T.FromString(pb.Meta.FromString(original.meta).payload).ext
    replaced = {kv.key for kv in entries}
    return [kv for kv in kept if kv.key not in replaced] + entries


def _targets(call: Call, original: StoredMessage) -> tuple[pb.JID, list]:
    ctx = call.ctx
    appkey = ctx.appkey
    if original.chat_type == T.CHAT:
        known = ctx.store.devices.known
        peer = [(original.recipient, d, user_queue(original.sender)) for d in known(original.recipient) or (PENDING,)]
        own = [(original.sender, d, user_queue(original.recipient)) for d in known(original.sender)]
        return user_jid(appkey, original.recipient), peer + own
    group, thread = resolve(ctx, original.recipient)
    members = list(thread.members if thread is not None else group.members) if group is not None else []
    return conference_jid(appkey, original.recipient), device_targets(ctx, members, conference_queue(original.recipient))


@routes.put("/messages/rewrite/{msg_id}", auth=Auth.APP)
async def rewrite_message(call: Call):
    ctx = call.ctx
    msg_id = call.arg("msg_id")
    if not msg_id.isdigit():
        raise RestError(400, "message_rewrite_error", "The provided message ID is not a valid number.",
                        "InvalidMessageIdException")
    body = await call.json()
    if not isinstance(body, dict):
        raise RestError(400, "invalid_request_body", "Request body is invalid. Please check body is correct.")
    new_content = _new_content(body.get("new_msg"))
    user = body.get("user")
    if user is not None and (not isinstance(user, str) or not user):
        raise RestError(400, "illegal_argument", "user must be a username", "IllegalArgumentException")
    editor = user.lower() if user else None
    try:
        original = core.find_editable(ctx, int(msg_id), editor, None)
        ext = _new_ext(original, body.get("new_ext"), body.get("is_combine_ext", True) is not False)
        info = core.apply_edit(ctx, original, editor or ADMIN, new_content, ext)
    except core.EditRefused as refused:
        ctx.events.emit("edit.refused", id=msg_id, by=editor or ADMIN, why=refused.why, via="rest")
        raise REFUSALS[refused.why]() from None
    server_id, ts = ctx.ids.next(), now_ms()
    notice = core.notice_body(original, editor or ADMIN, new_content, ext, info)
    room = original.chat_type == T.CHATROOM
    to_jid, targets = (room_jid(ctx.appkey, original.recipient), []) if room else _targets(call, original)
    meta = pb.Meta(id=server_id, timestamp=ts, ns=pb.Meta.CHAT, payload=notice.SerializeToString(), to=to_jid,
                   **{"from": user_jid(ctx.appkey, editor or ADMIN)})
    stored = StoredMessage(server_id, editor or ADMIN, None, original.recipient, T.EDIT, meta.SerializeToString(), ts)
    if room:
        ctx.store.messages.add(stored, [])
        rooms = ctx.chatrooms
        rooms.notify.push(original.recipient, [stored.meta], list(rooms.presence.connections(original.recipient)))
    else:
        deliver(ctx, stored, targets)
    return call.ok("put", f"/messages/rewrite/{msg_id}", data="success")
