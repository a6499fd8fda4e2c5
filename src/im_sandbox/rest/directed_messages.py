"""Directed REST sends (docs/protocol/rest.md §3.1, "other send variants"), app token: a message to one group or
one room that reaches only some of its members.

    POST /messages/chatgroups/users   {from?, to: [group id], users: [≤ 20], type, body, ext?}
    POST /messages/chatrooms/users    the same with a room id            → data {id: message id}

The downstream meta carries Meta.routetype ROUTE_DIRECT and Meta.directedUsers, as a directed
message from a device does (docs/protocol/msync.md §4.2). Group: the directed members' devices get it in the
group queue, and the sender's devices too ("always synced to the sender"); users who are not
members get nothing. Room: the directed users' present devices (room messages are pushed, not
queued). Directed messages are not history (`store/history_rules.py`, rule
`directed-messages-not-in-history`). Errors: 400 `param users can't be empty`, more than 20 users
400 `params users's size can't exceed limit 20`, `to` must name exactly one group or room; an
unknown group 404 like `POST /messages/chatgroups` (room ids are not validated, like the room send).
"""
from __future__ import annotations

from typing import Any

from im_wire import pb

from ..domain.delivery import user_jid
from ..domain.fanout import deliver_limited, device_targets
from ..domain.group_notify import conference_jid
from ..domain.queues import conference_queue
from ..ids import now_ms
from ..store import StoredMessage
from .chatroom_messages import _level
from .group_common import group_not_found
from .message_build import SendRequest, message_body, parse_send, send_error, too_large
from .routing import Auth, Call, RouteTable

routes = RouteTable()
MAX_USERS = 20
T = pb.MessageBody


def _parse(call: Call, raw: Any, scope: str) -> tuple[SendRequest, list[str]]:
    req = parse_send(raw, 1)
    users = raw.get("users")
    if not users or not isinstance(users, list) or not all(isinstance(u, str) and u for u in users):
        raise send_error("param users can't be empty")
    if len(users) > MAX_USERS:
        raise send_error(f"params users's size can't exceed limit {MAX_USERS}")
    if call.ctx.send_policy.too_large(req.size):
        call.ctx.events.emit("message.refused", sender=req.sender, scope=scope, reason="message is too large")
        raise too_large()
    return req, list(dict.fromkeys(u.lower() for u in users))


@routes.post("/messages/chatgroups/users", auth=Auth.APP)
async def send_to_group_members(call: Call):
    ctx = call.ctx
    raw = await call.json()
    req, users = _parse(call, raw, "groupchat")
    group = ctx.store.groups.get(req.to[0])
    if group is None:
        raise group_not_found(req.to[0])
    server_id, ts = ctx.ids.next(), now_ms()
    body = message_body(req, T.GROUPCHAT, group.id)
    meta = pb.Meta(id=server_id, timestamp=ts, ns=pb.Meta.CHAT, payload=body.SerializeToString(),
                   routetype=pb.Meta.ROUTE_DIRECT, directedUsers=users)
    getattr(meta, "from").CopyFrom(user_jid(ctx.appkey, req.sender))
    meta.to.CopyFrom(conference_jid(ctx.appkey, group.id))
    chosen = set(users)
    recipients = [u for u in group.members if u in chosen] + [req.sender]
    targets = device_targets(ctx, list(dict.fromkeys(recipients)), conference_queue(group.id))
    ctx.events.emit("message.upstream", id=server_id, sender=req.sender, to=group.id, type="GROUPCHAT",
                    group=group.id, via="rest", route="ROUTE_DIRECT", recipients=len(targets))
    deliver_limited(ctx, StoredMessage(server_id, req.sender, None, group.id, T.GROUPCHAT,
                                       meta.SerializeToString(), ts), targets)
    return call.ok("post", "/messages/chatgroups/users", data={group.id: str(server_id)})


@routes.post("/messages/chatrooms/users", auth=Auth.APP)
async def send_to_room_members(call: Call):
    raw = await call.json()
    req, users = _parse(call, raw, "chatroom")
    room_id = req.to[0]
    sender = call.ctx.chatrooms.sender
    msg_id = sender.from_server(room_id, req.sender, message_body(req, T.CHATROOM, room_id), _level(raw),
                                directed=users)
    return call.ok("post", "/messages/chatrooms/users", data={room_id: str(msg_id)})
