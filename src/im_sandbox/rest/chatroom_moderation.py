"""Chatroom member mutes, mute-all and the allow list (docs/protocol/rest.md §4.3–§4.4, docs/protocol/msync.md §5.3).

`mute_duration` is in milliseconds: -1 permanent, 0 lifts the mute. A mute outlives leaving and
rejoining. The muted user gets ADD_MUTE with `ext {"user_mute_time": <end ms>}` (REMOVE_MUTE when
lifted), everyone present gets BAN_GROUP / REMOVE_BAN_GROUP for mute-all, and the user concerned
ADD_/REMOVE_USER_WHITE_LIST. What a muted sender is answered: chatrooms/sending.py.
"""
from __future__ import annotations

import json

from im_wire import Reason, pb

from ..domain.chatrooms import errors
from ..ids import now_ms
from ..store.chatrooms import ALLOW, MUTE, OWNER, PERMANENT, Room
from .chatroom_access import (body_usernames, existing_user, moderated_room, operator, refuse_admin_on_admin,
                              rest_error, room_of, usernames)
from .envelope import RestError
from .routing import Auth, Call, RouteTable

routes = RouteTable()

ROOM = "/chatrooms/{room_id:[0-9]+}"
Op = pb.MUCBody
TOO_MANY_MUTES = "userNames size is more than max limit : {}"
TOO_MANY_UNMUTES = "removeMute member size more than max limit : {}"
TOO_MANY_ALLOWED = "usernames size is more than max limit : {}"


def _members_only(call: Call, room: Room, users: list[str], status: int) -> None:
    store = call.ctx.store.chatrooms
    strangers = [u for u in users if store.role(room.id, u) is None]
    if strangers:
        raise rest_error(errors.not_member(strangers, status))


# -- member mute ------------------------------------------------------------------------------
@routes.get(ROOM + "/mute", auth=Auth.ANY)
async def list_mutes(call: Call):
    mutes = call.ctx.store.chatrooms.mutes(room_of(call).id)
    return call.ok("get", data=[{"expire": end, "user": user} for user, end in mutes])


@routes.post(ROOM + "/mute", auth=Auth.ANY)
async def mute(call: Call):
    room = moderated_room(call)
    body = await call.json()
    if not isinstance(body, dict):
        raise RestError(400, "invalid_request_body", "Request body is invalid. Please check body is correct.")
    users = usernames(body.get("usernames"), TOO_MANY_MUTES)
    duration = body.get("mute_duration")
    if not isinstance(duration, int) or isinstance(duration, bool) or duration < -1:
        raise RestError(400, "invalid_parameter", "mute_duration must be -1, 0 or a number of milliseconds")
    _members_only(call, room, users, 400)
    store = call.ctx.store.chatrooms
    if any(store.role(room.id, u) == OWNER for u in users):
        raise rest_error(errors.on_owner())
    refuse_admin_on_admin(call, room, users, "mute")
    rooms = call.ctx.chatrooms
    who = operator(call)
    results = []
    for user in users:
        if duration == 0:
            store.list_remove(room.id, MUTE, user)
            rooms.notify.to_user(room.id, user, Op.REMOVE_MUTE, operator=who, to=[user])
            results.append({"result": True, "expire": 0, "user": user})
            continue
        end = PERMANENT if duration == -1 else now_ms() + duration
        store.list_add(room.id, MUTE, user, end)
        rooms.notify.to_user(room.id, user, Op.ADD_MUTE, operator=who, to=[user],
                             ext=json.dumps({"user_mute_time": end}))
        results.append({"result": True, "expire": end, "user": user})
    call.ctx.events.emit("chatroom.muted", room=room.id, users=users, duration=duration, operator=who)
    return call.ok("post", data=results)


@routes.delete(ROOM + "/mute/{usernames}", auth=Auth.ANY)
async def unmute(call: Call):
    room = moderated_room(call)
    users = usernames(call.arg("usernames"), TOO_MANY_UNMUTES)
    store = call.ctx.store.chatrooms
    who = operator(call)
    for user in users:
        if store.list_remove(room.id, MUTE, user):
            call.ctx.chatrooms.notify.to_user(room.id, user, Op.REMOVE_MUTE, operator=who, to=[user])
    call.ctx.events.emit("chatroom.unmuted", room=room.id, users=users, operator=who)
    return call.ok("delete", data=[{"result": True, "user": u} for u in users])


# -- mute all ---------------------------------------------------------------------------------
async def _mute_all(call: Call, on: bool):
    room = moderated_room(call)
    call.ctx.store.chatrooms.update(room.id, mute_all=on)
    operation = Op.BAN_GROUP if on else Op.REMOVE_BAN_GROUP
    call.ctx.chatrooms.notify.to_present(room.id, operation, operator=operator(call))
    call.ctx.events.emit("chatroom.mute_all", room=room.id, mute=on, operator=operator(call))
    return call.ok("post" if on else "delete", data={"mute": on})


@routes.post(ROOM + "/ban", auth=Auth.ANY)
async def mute_all(call: Call):
    return await _mute_all(call, True)


@routes.delete(ROOM + "/ban", auth=Auth.ANY)
async def unmute_all(call: Call):
    return await _mute_all(call, False)


# -- allow list -------------------------------------------------------------------------------
@routes.get(ROOM + "/white/users", auth=Auth.ANY)
async def list_allowed(call: Call):
    users = call.ctx.store.chatrooms.list_users(room_of(call).id, ALLOW)
    return call.ok("get", data=users, count=len(users))


def _allow(call: Call, room: Room, user: str) -> dict:
    result = {"result": True, "action": "add_user_whitelist", "user": user, "chatroomid": room.id}
    if call.ctx.store.chatrooms.role(room.id, user) is None:
        return {**result, "result": False, "reason": Reason.ROOM_NOT_MEMBERS.format(user)}
    call.ctx.store.chatrooms.list_add(room.id, ALLOW, user)
    call.ctx.chatrooms.notify.to_user(room.id, user, Op.ADD_USER_WHITE_LIST, operator=operator(call), to=[user])
    call.ctx.events.emit("chatroom.allowed", room=room.id, user=user, operator=operator(call))
    return result


@routes.post(ROOM + "/white/users/{username}", auth=Auth.ANY)
async def allow_one(call: Call):
    room = moderated_room(call)
    user = existing_user(call, call.arg("username"))
    _members_only(call, room, [user], 403)
    return call.ok("post", data=_allow(call, room, user))


@routes.post(ROOM + "/white/users", auth=Auth.ANY)
async def allow_many(call: Call):
    room = moderated_room(call)
    body = await call.json()
    users = body_usernames(body, TOO_MANY_ALLOWED)
    return call.ok("post", data=[_allow(call, room, u) for u in users])


@routes.delete(ROOM + "/white/users/{usernames}", auth=Auth.ANY)
async def disallow(call: Call):
    room = moderated_room(call)
    users = usernames(call.arg("usernames"), TOO_MANY_ALLOWED)
    store = call.ctx.store.chatrooms
    results = []
    for user in users:
        removed = store.list_remove(room.id, ALLOW, user)
        if removed:
            call.ctx.chatrooms.notify.to_user(room.id, user, Op.REMOVE_USER_WHITE_LIST, operator=operator(call),
                                              to=[user])
        results.append({"result": removed, "action": "remove_user_whitelist", "user": user, "chatroomid": room.id})
    call.ctx.events.emit("chatroom.disallowed", room=room.id, users=users, operator=operator(call))
    return call.ok("delete", data=results)
