"""REST sends to chatrooms (docs/protocol/rest.md §3.1): `POST /messages/chatrooms` and the broadcast to every
room, `POST /messages/chatrooms/broadcast`. App token.

`chatroom_msg_level` (high / normal / low) becomes the downstream Meta.ext `chatroom_msg_tag`
and is subject to the room's delivery budget like a device's message; broadcasts carry
`is_broadcast: true`, skip the budget, and reach the rooms that have someone present (with the app
setting `chatroom_broadcast_enabled` off: 403 `forbidden_op` `message broadcast service is
unopened`). Room ids are not validated (an unknown room still gets a message id, nobody gets it).
"""
from __future__ import annotations

from im_wire import Reason, pb

from ..domain.chatrooms.budget import NORMAL, PRIORITY_TAG
from .envelope import RestError
from .message_build import SendRequest, message_body, parse_send, send_error, too_large
from .routing import Auth, Call, RouteTable

routes = RouteTable()
MAX_ROOMS = 10
CHATROOM = pb.MessageBody.CHATROOM


def _level(raw: dict) -> str:
    level = raw.get("chatroom_msg_level", NORMAL) if isinstance(raw, dict) else NORMAL
    if level not in PRIORITY_TAG:
        raise send_error("param chatroom_msg_level must be high, normal or low")
    return level


def _checked(call: Call, raw) -> tuple[SendRequest, str]:
    req = parse_send(raw, MAX_ROOMS)
    if call.ctx.send_policy.too_large(req.size):
        call.ctx.events.emit("message.refused", sender=req.sender, scope="chatroom", reason="message is too large")
        raise too_large()
    return req, _level(raw)


@routes.post("/messages/chatrooms", auth=Auth.APP)
async def send_to_rooms(call: Call):
    req, level = _checked(call, await call.json())
    sender = call.ctx.chatrooms.sender
    ids = {room: str(sender.from_server(room, req.sender, message_body(req, CHATROOM, room), level))
           for room in dict.fromkeys(req.to)}
    return call.ok("post", "/messages/chatrooms", data=ids)


@routes.post("/messages/chatrooms/broadcast", auth=Auth.APP)
async def broadcast(call: Call):
    ctx = call.ctx
    if not ctx.app_config.get("chatroom_broadcast_enabled"):
        raise RestError(403, "forbidden_op", Reason.ROOM_BROADCAST_OFF)
    raw = await call.json()
    msg = raw.get("msg") if isinstance(raw, dict) else None
    if not isinstance(msg, dict):
        raise send_error("param msg can't be empty")
    # the legacy shape: {type, msg|action|…} flattened in `msg`; reuse the v2 parser on it
    body = {k: v for k, v in msg.items() if k != "type"}
    req, level = _checked(call, {"from": raw.get("from", "admin"), "to": ["*"], "type": msg.get("type"),
                                 "body": body, "ext": raw.get("ext", {}),
                                 "chatroom_msg_level": raw.get("chatroom_msg_level", NORMAL)})
    broadcast_id = ctx.ids.next()
    sent = ctx.chatrooms.sender.broadcast(req.sender, message_body(req, CHATROOM, ""), level)
    ctx.events.emit("chatroom.broadcast", id=broadcast_id, sender=req.sender, rooms=len(sent),
                    messages=[mid for _, mid in sent])
    return call.ok("post", "/messages/chatrooms/broadcast", data={"id": str(broadcast_id)})
