"""The SDK's single-user checks of a room's lists (docs/protocol/rest.md §4.3–§4.4, §10), any token:

    GET /chatrooms/{r}/white/users/{u}      isInChatRoomAllowlist  → data: true | false
    GET /sdk/chatrooms/{r}/mute/{u}         isInChatRoomMutelist   → data: {userid, mute, expire}

Shaped like the group checks (`/chatgroups/{g}/white/users/{u}`, `/sdk/chatgroups/{g}/mute/{u}`,
rest/group_moderation.py); `expire` is the end of the member mute in epoch ms (-1 permanent, 0
when not muted). An unknown room answers as the other room routes do (room_of).
"""
from __future__ import annotations

from ..store.chatrooms import ALLOW
from .chatroom_access import room_of
from .routing import Auth, Call, RouteTable

routes = RouteTable()

ROOM_ID = "{room_id:[0-9]+}"


@routes.get(f"/chatrooms/{ROOM_ID}/white/users/{{username}}", auth=Auth.ANY)
async def is_allowed(call: Call):
    room = room_of(call)
    return call.ok("get", data=call.ctx.store.chatrooms.in_list(room.id, ALLOW, call.arg("username").lower()))


@routes.get(f"/sdk/chatrooms/{ROOM_ID}/mute/{{username}}", auth=Auth.ANY)
async def is_muted(call: Call):
    room = room_of(call)
    name = call.arg("username").lower()
    end = call.ctx.store.chatrooms.mute_end(room.id, name)
    return call.ok("get", data={"userid": name, "mute": end is not None, "expire": end or 0})
