"""Pinned messages (docs/protocol/rest.md §12.3), as the Web SDK 4.21 calls them:

    POST   /sdk/user/{u}/user_channel/pin?resource {to, type, pin_msg_id}   pinMessage
    DELETE /sdk/user/{u}/user_channel/pin?resource {to, type, pin_msg_id}   unpinMessage
    GET    /sdk/user/{u}/user_channel/pin?to&type&limit&cursor              getServerPinnedMessages
           -> data: {msg_infos: [{message, pin_opt_at, pin_operator}], cursor}

A pin belongs to the conversation, not to one side: both users of a 1:1 conversation (every member of a
group) see it, and their devices, except the one that acted, get a NOTIFY `conv` `pin` / `pin_delete`
with the message id in `ext` (the SDK's onMessagePinEvent; rule `pinned-messages-shared`).
"""
from __future__ import annotations

from im_wire import pb

from ..domain.conversations import notify_conv
from ..ids import now_ms
from ..store import StoredMessage
from ..store.conversations import pair_key
from ..store.roaming import CONFERENCE_SUFFIX
from .conversations import kind_of, owner_of, target_of
from .envelope import RestError, illegal_argument
from .message_json import message_json
from .routing import Auth, Call, RouteTable

routes = RouteTable()

PATH = "/sdk/user/{username}/user_channel/pin"
MAX_LIMIT = 50
CHAT, GROUPCHAT = pb.MessageBody.CHAT, pb.MessageBody.GROUPCHAT


def _illegal_id() -> RestError:
    return RestError(400, "illegal_argument", "param pin_msg_id illegal, please check it!")


def _conversation(call: Call, owner: str, kind: str, to: str) -> tuple[str, list[str]]:
    """The pin key of the conversation and the users it belongs to."""
    if kind == "chat":
        return pair_key(owner, to), sorted({owner, to})
    group = call.ctx.store.groups.get(to)
    if group is None or owner not in group.members:
        raise RestError(403, "forbidden_op", f"user {owner} is not a member of group {to}")
    return to + CONFERENCE_SUFFIX, sorted(group.members)


def _belongs(msg: StoredMessage | None, owner: str, kind: str, to: str) -> bool:
    if msg is None:
        return False
    if kind == "chat":
        return msg.chat_type == CHAT and {msg.sender, msg.recipient} == {owner, to}
    return msg.chat_type == GROUPCHAT and msg.recipient == to


async def _change(call: Call, pinned: bool):
    owner = owner_of(call)
    body = await call.json()
    if not isinstance(body, dict):
        raise illegal_argument("request body must be a JSON object")
    kind, to = kind_of(body.get("type")), target_of(body.get("to"))
    raw = body.get("pin_msg_id")
    if not isinstance(raw, (str, int)) or not str(raw).isdigit():
        raise _illegal_id()
    msg_id = int(raw)
    key, users = _conversation(call, owner, kind, to)
    store = call.ctx.store
    if pinned:
        if not _belongs(store.messages.get(msg_id), owner, kind, to):
            raise _illegal_id()
        store.conversations.pin_message(key, msg_id, owner, now_ms())
    elif not store.conversations.unpin_message(key, msg_id):
        raise _illegal_id()
    call.ctx.events.emit("message.pinned" if pinned else "message.unpinned", id=msg_id, by=owner, conversation=key)
    notify_conv(call.ctx, users, "pin" if pinned else "pin_delete", operator=owner,
                resource=call.query.get("resource", ""), peer=to, kind=kind, ext=str(msg_id))
    return call.ok("post" if pinned else "delete", data={"result": "ok"})


@routes.post(PATH, auth=Auth.SELF)
async def pin_message(call: Call):
    return await _change(call, True)


@routes.delete(PATH, auth=Auth.SELF)
async def unpin_message(call: Call):
    return await _change(call, False)


@routes.get(PATH, auth=Auth.SELF)
async def pinned_messages(call: Call):
    owner = owner_of(call)
    kind, to = kind_of(call.query.get("type")), target_of(call.query.get("to"))
    key, _ = _conversation(call, owner, kind, to)
    raw_limit, raw_cursor = call.query.get("limit", "") or "10", call.query.get("cursor", "") or "0"
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_LIMIT or not raw_cursor.isdigit():
        raise illegal_argument(f"param limit must be 1 .. {MAX_LIMIT} and cursor a cursor of this list")
    limit, offset = int(raw_limit), int(raw_cursor)
    messages = call.ctx.store.messages
    pins = [(p, messages.get(p.msg_id)) for p in call.ctx.store.conversations.pinned_messages(key)]
    pins = [(p, m) for p, m in pins if m is not None]  # a recalled message is no longer pinned
    page = pins[offset: offset + limit]
    more = offset + limit < len(pins)
    infos = [{"message": message_json(m.meta), "pin_opt_at": p.pinned_at, "pin_operator": p.operator}
             for p, m in page]
    return call.ok("get", data={"msg_infos": infos, "cursor": str(offset + limit) if more else ""})
