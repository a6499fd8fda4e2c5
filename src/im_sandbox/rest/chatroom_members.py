"""Chatroom members, admins and the block list (docs/protocol/rest.md §6.2).

Removing a member or blocking one is a kick: the user's present devices get KICK and the others
ABSENCE (chatrooms/service.py). Admin changes notify the user concerned (ADD_/REMOVE_ADMIN).
"""
from __future__ import annotations

from im_wire import Reason, pb

from ..domain.chatrooms import RoomError, errors
from ..store.chatrooms import ADMIN, BLOCK, MEMBER, OWNER, Room
from .chatroom_access import (body_usernames, existing_user, int_query, moderated_room, operator, params,
                              refuse_admin_on_admin, require_role, rest_error, room_of, usernames)
from .envelope import RestError
from .routing import Auth, Call, RouteTable

routes = RouteTable()

ROOM = "/chatrooms/{room_id:[0-9]+}"
Op = pb.MUCBody
TOO_MANY_ADDS = "addMembers: addMembers number more than maxSize : {}"
TOO_MANY_KICKS = "kickMember: kickMembers number more than maxSize : {}"
TOO_MANY_BLOCKS = "addBlocks: blocks number more than maxSize : {}"
TOO_MANY_UNBLOCKS = "removeBlacklist: list size more than max limit : {}"


def _not_in_room(user: str, room: Room) -> str:
    return f"user: {user} doesn't exist in group: {room.id}"


# -- members ----------------------------------------------------------------------------------
@routes.get(ROOM + "/users", auth=Auth.ANY)
async def list_members(call: Call):
    room = room_of(call)
    num = int_query(call, "pagenum", 1, 1, 1_000_000)
    size = int_query(call, "pagesize", 1000, 1, 1000)
    rows = call.ctx.store.chatrooms.members(room.id)[(num - 1) * size:num * size]
    data = [{OWNER if role == OWNER else MEMBER: user} for user, role in rows]
    return call.ok("get", entities=[], data=data, count=len(data), params=params(call))


def _add(call: Call, room: Room, user: str) -> None:
    rooms = call.ctx.chatrooms
    if call.ctx.store.chatrooms.role(room.id, user) is not None:
        raise RestError(403, "forbidden_op",
                        f"can not join this group, reason:user: {user} already in group: {room.id}\n")
    try:
        rooms.check_can_become_member(room, user)
    except RoomError as exc:
        raise rest_error(exc) from None
    call.ctx.store.chatrooms.add_member(room.id, user)
    call.ctx.events.emit("chatroom.member_added", room=room.id, user=user, operator=operator(call))


@routes.post(ROOM + "/users/{username}", auth=Auth.ANY)
async def add_member(call: Call):
    room = moderated_room(call)
    user = existing_user(call, call.arg("username"))
    _add(call, room, user)
    return call.ok("post", data={"result": True, "action": "add_member", "id": room.id, "user": user})


@routes.post(ROOM + "/users", auth=Auth.ANY)
async def add_members(call: Call):
    room = moderated_room(call)
    body = await call.json()
    users = body_usernames(body, TOO_MANY_ADDS)
    for user in users:
        existing_user(call, user)
    store = call.ctx.store.chatrooms
    fresh = [u for u in dict.fromkeys(users)
             if store.role(room.id, u) is None and not store.in_list(room.id, BLOCK, u)]
    if store.member_count(room.id) + len(fresh) > room.maxusers:
        raise RestError(403, "exceed_limit", "members size is greater than max user size !")
    added = []
    for user in fresh:
        try:
            _add(call, room, user)
        except RestError:
            continue  # over the user's joined-room limit: not added, like the real batch call
        added.append(user)
    return call.ok("post", data={"newmembers": added, "action": "add_member", "id": room.id})


@routes.delete(ROOM + "/users/{usernames}", auth=Auth.ANY)
async def remove_members(call: Call):
    room = moderated_room(call)
    users = usernames(call.arg("usernames"), TOO_MANY_KICKS)
    refuse_admin_on_admin(call, room, users, "remove")
    store = call.ctx.store.chatrooms
    results = []
    for user in users:
        role = store.role(room.id, user)
        if role == OWNER:
            if len(users) == 1:
                raise rest_error(errors.on_owner())
            results.append({"result": False, "action": "remove_member", "reason": Reason.ROOM_OWNER_OPERATION,
                            "user": user, "id": room.id})
        elif role is None:
            if len(users) == 1:
                raise RestError(400, "forbidden_op", Reason.ROOM_NOT_MEMBERS.format(user))
            results.append({"result": False, "action": "remove_member", "reason": _not_in_room(user, room),
                            "user": user, "id": room.id})
        else:
            call.ctx.chatrooms.kick(room.id, user, operator(call))
            results.append({"result": True, "action": "remove_member", "user": user, "id": room.id})
    return call.ok("delete", data=results[0] if len(users) == 1 else results)


# -- admins -----------------------------------------------------------------------------------
@routes.get(ROOM + "/admin", auth=Auth.ANY)
async def list_admins(call: Call):
    admins = call.ctx.store.chatrooms.admins(room_of(call).id)
    return call.ok("get", data=admins, count=len(admins))


@routes.post(ROOM + "/admin", auth=Auth.ANY)
async def add_admin(call: Call):
    room = room_of(call)
    require_role(call, room, (OWNER,))
    body = await call.json()
    user = existing_user(call, body.get("newadmin") if isinstance(body, dict) else None)
    store = call.ctx.store.chatrooms
    role = store.role(room.id, user)
    if role is None:
        raise RestError(404, "resource_not_found", _not_in_room(user, room))
    if role == OWNER:
        raise rest_error(errors.on_owner())
    store.set_role(room.id, user, ADMIN)
    call.ctx.chatrooms.notify.to_user(room.id, user, Op.ADD_ADMIN, operator=operator(call), to=[user])
    call.ctx.events.emit("chatroom.admin_added", room=room.id, user=user, operator=operator(call))
    return call.ok("post", data={"result": "success", "newadmin": user})


@routes.delete(ROOM + "/admin/{username}", auth=Auth.ANY)
async def remove_admin(call: Call):
    room = room_of(call)
    require_role(call, room, (OWNER,))
    user = call.arg("username").lower()
    store = call.ctx.store.chatrooms
    if store.role(room.id, user) != ADMIN:
        raise RestError(403, "forbidden_op", f"user:{user} is not admin of group:{room.id}")
    store.set_role(room.id, user, MEMBER)
    call.ctx.chatrooms.notify.to_user(room.id, user, Op.REMOVE_ADMIN, operator=operator(call), to=[user])
    call.ctx.events.emit("chatroom.admin_removed", room=room.id, user=user, operator=operator(call))
    return call.ok("delete", data={"result": "success", "oldadmin": user})


# -- block list -------------------------------------------------------------------------------
@routes.get(ROOM + "/blocks/users", auth=Auth.ANY)
async def list_blocks(call: Call):
    users = call.ctx.store.chatrooms.list_users(room_of(call).id, BLOCK)
    return call.ok("get", data=users, count=len(users))


def _block(call: Call, room: Room, user: str) -> dict:
    store = call.ctx.store.chatrooms
    if store.role(room.id, user) == OWNER:
        return {"result": False, "action": "add_blocks", "reason": Reason.ROOM_OWNER_OPERATION, "user": user,
                "chatroomid": room.id}
    store.list_add(room.id, BLOCK, user)
    if store.role(room.id, user) is not None or call.ctx.chatrooms.presence.is_present(room.id, user):
        call.ctx.chatrooms.kick(room.id, user, operator(call), why="blocked")
    call.ctx.events.emit("chatroom.blocked", room=room.id, user=user, operator=operator(call))
    return {"result": True, "action": "add_blocks", "user": user, "chatroomid": room.id}


@routes.post(ROOM + "/blocks/users/{username}", auth=Auth.ANY)
async def block_one(call: Call):
    room = moderated_room(call)
    user = existing_user(call, call.arg("username"))
    refuse_admin_on_admin(call, room, [user], "block")
    result = _block(call, room, user)
    if not result["result"]:
        raise rest_error(errors.on_owner())
    return call.ok("post", data=result)


@routes.post(ROOM + "/blocks/users", auth=Auth.ANY)
async def block_many(call: Call):
    room = moderated_room(call)
    body = await call.json()
    users = [existing_user(call, u) for u in body_usernames(body, TOO_MANY_BLOCKS)]
    refuse_admin_on_admin(call, room, users, "block")
    return call.ok("post", data=[_block(call, room, u) for u in users])


@routes.delete(ROOM + "/blocks/users/{usernames}", auth=Auth.ANY)
async def unblock(call: Call):
    room = moderated_room(call)
    users = usernames(call.arg("usernames"), TOO_MANY_UNBLOCKS)
    store = call.ctx.store.chatrooms
    results = []
    for user in users:
        removed = store.list_remove(room.id, BLOCK, user)
        results.append({"result": removed, "action": "remove_blocks", "user": user, "chatroomid": room.id})
    call.ctx.events.emit("chatroom.unblocked", room=room.id, users=users, operator=operator(call))
    return call.ok("delete", data=results[0] if len(users) == 1 else results)
