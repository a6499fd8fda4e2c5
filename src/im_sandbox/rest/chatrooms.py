"""Chatroom management (docs/protocol/rest.md §6.1): create, list, details, update, destroy, the user's rooms,
announcements and app super admins.

Limits: name ≤128, description ≤512, announcement ≤512, custom ≤8 KB, `maxusers` 1..app setting
`chatroom_max_members` (default 1000 or that setting if lower), members ≤60 per call, and every new
member within `chatroom_max_joined` (chatrooms/service.py).
"""
from __future__ import annotations

import base64
import binascii

from im_wire import pb

from ..ids import now_ms
from ..store.chatrooms import MEMBER, OWNER, Room
from .chatroom_access import (existing_user, int_query, moderated_room, operator, params, require_role, room_of,
                              usernames)
from .envelope import RestError
from .routing import Auth, Call, RouteTable

routes = RouteTable()

MAX_NAME, MAX_DESC, MAX_ANNOUNCEMENT, MAX_CUSTOM = 128, 512, 512, 8192
DEFAULT_MAXUSERS = 1000
ROOM = "/chatrooms/{room_id:[0-9]+}"
Op = pb.MUCBody
TOO_MANY_MEMBERS = "members size is more than max limit : {}"


def _text(body: dict, *names: str, limit: int, required: bool, what: str) -> str | None:
    value = next((body[n] for n in names if n in body), None)
    if value is None:
        if required:
            raise RestError(400, "invalid_parameter", f"{names[0]} must be provided")
        return None
    if not isinstance(value, str):
        raise RestError(400, "invalid_parameter", f"{names[0]} must be a string")
    if len(value) > limit:
        raise RestError(403, "exceed_limit", f"{what} cannot exceed to {limit}")
    return value


def _maxusers(call: Call, value) -> int:
    upper = call.ctx.app_config.get("chatroom_max_members")
    if value is None:
        return min(DEFAULT_MAXUSERS, upper)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise RestError(400, "invalid_parameter", "maxusers must be a positive integer")
    if value > upper:
        raise RestError(403, "exceed_limit", f"maxUsers cannot exceed {upper}")
    return value


def detail(call: Call, room: Room) -> dict:
    members = call.ctx.store.chatrooms.members(room.id)
    return {"id": room.id, "name": room.name, "description": room.description, "membersonly": False,
            "allowinvites": False, "maxusers": room.maxusers, "owner": room.owner, "created": room.created,
            "custom": room.custom, "affiliations_count": len(members), "public": True, "mute": room.mute_all,
            "affiliations": [{OWNER if role == OWNER else MEMBER: user} for user, role in members]}


@routes.post("/chatrooms/super_admin", auth=Auth.APP)
async def add_super_admin(call: Call):
    body = await call.json()
    user = existing_user(call, body.get("superadmin") if isinstance(body, dict) else None)
    call.ctx.store.chatrooms.add_super_admin(user)
    call.ctx.events.emit("chatroom.super_admin_added", user=user)
    return call.ok("post", data={"result": "success", "resource": ""})


@routes.get("/chatrooms/super_admin", auth=Auth.APP)
async def list_super_admins(call: Call):
    num = int_query(call, "pagenum", 1, 1, 1_000_000)
    size = int_query(call, "pagesize", 10, 1, 1000)
    admins = call.ctx.store.chatrooms.super_admins(size, (num - 1) * size)
    return call.ok("get", data=admins, count=len(admins), params=params(call))


@routes.delete("/chatrooms/super_admin/{username}", auth=Auth.APP)
async def remove_super_admin(call: Call):
    user = call.arg("username").lower()
    if not call.ctx.store.chatrooms.remove_super_admin(user):
        raise RestError(404, "resource_not_found", f"user {user} is not a chatroom super admin")
    call.ctx.events.emit("chatroom.super_admin_removed", user=user)
    return call.ok("delete", data={"newSuperAdmin": user, "resource": ""})


@routes.post("/chatrooms", auth=Auth.ANY)
async def create(call: Call):
    body = await call.json()
    if not isinstance(body, dict):
        raise RestError(400, "invalid_request_body", "Request body is invalid. Please check body is correct.")
    ctx = call.ctx
    rooms = ctx.chatrooms
    if not call.is_app:
        caller = call.token.username
        if not ctx.store.chatrooms.is_super_admin(caller):
            raise RestError(403, "forbidden_op", f"user: {caller} is not a chatroom super admin")
        body.setdefault("owner", caller)
    name = _text(body, "name", "groupname", limit=MAX_NAME, required=True, what="title")
    description = _text(body, "description", "desc", limit=MAX_DESC, required=True, what="desc")
    owner = existing_user(call, _text(body, "owner", limit=64, required=True, what="owner"))
    custom = _text(body, "custom", limit=MAX_CUSTOM, required=False, what="custom") or ""
    maxusers = _maxusers(call, body.get("maxusers"))
    listed = usernames(body["members"], TOO_MANY_MEMBERS) if "members" in body else []
    members = [m for m in dict.fromkeys(listed) if m != owner]
    for member in members:
        existing_user(call, member)
    if len(members) + 1 > maxusers:
        raise RestError(403, "exceed_limit", "members size is greater than max user size !")
    limit = ctx.app_config.get("chatroom_max_joined")
    for user in [owner, *members]:
        if ctx.store.chatrooms.membership_count(user) >= limit:
            raise RestError(403, "exceed_limit", f"user {user} has joined too many chatrooms!")
    room = Room(rooms.new_room_id(), name, description, owner, maxusers, custom, "", False, now_ms())
    ctx.store.chatrooms.create(room, members)
    ctx.events.emit("chatroom.created", room=room.id, owner=owner, members=len(members), maxusers=maxusers)
    return call.ok("post", data={"id": room.id})


@routes.get("/chatrooms", auth=Auth.ANY)
async def list_rooms(call: Call):
    limit = int_query(call, "limit", 10, 1, 1000)
    after = None
    if call.query.get("cursor"):
        try:
            after = base64.urlsafe_b64decode(call.query["cursor"].encode()).decode()
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise RestError(400, "illegal_argument", "cursor is not valid") from None
    rows = call.ctx.store.chatrooms.page(limit + 1, after)
    more = len(rows) > limit
    rows = rows[:limit]
    data = [{"id": r.id, "name": r.name, "owner": r.owner, "affiliations_count": n, "disabled": False}
            for r, n in rows]
    extra = {"cursor": base64.urlsafe_b64encode(rows[-1][0].id.encode()).decode()} if more else {}
    return call.ok("get", data=data, count=len(data), params=params(call), **extra)


@routes.get("/users/{username}/joined_chatrooms", auth=Auth.SELF)
async def joined_rooms(call: Call):
    user = existing_user(call, call.arg("username"))
    num = int_query(call, "pagenum", 1, 1, 1_000_000)
    size = int_query(call, "pagesize", 1000, 1, 1000)
    rows = call.ctx.store.chatrooms.rooms_of(user)[(num - 1) * size:num * size]
    return call.ok("get", data=[{"id": rid, "name": name} for rid, name in rows], count=len(rows))


@routes.get("/chatrooms/{room_ids:[0-9,]+}", auth=Auth.ANY)
async def details(call: Call):
    ids = [i for i in call.arg("room_ids").split(",") if i][:100]
    rooms = []
    for room_id in ids:
        room = call.ctx.store.chatrooms.get(room_id)
        if room is None:
            raise RestError(404, "service_resource_not_found", f"do not find this group:{room_id}")
        rooms.append(detail(call, room))
    return call.ok("get", data=rooms, count=len(rooms))


@routes.put(ROOM, auth=Auth.ANY)
async def update(call: Call):
    room = room_of(call)
    body = await call.json()
    if not isinstance(body, dict) or not body:
        raise RestError(400, "invalid_request_body", "Request body is invalid. Please check body is correct.")
    unknown = sorted(set(body) - {"name", "groupname", "description", "maxusers", "newowner", "custom"})
    if unknown:
        raise RestError(400, "invalid_parameter", f"some of [{', '.join(unknown)}] are not valid fields")
    require_role(call, room, (OWNER,) if "newowner" in body else (OWNER, "admin"))
    ctx = call.ctx
    if "newowner" in body:
        return _transfer(call, room, body["newowner"])
    changes, data = {}, {}
    for field, names, limit, what in (("name", ("groupname", "name"), MAX_NAME, "title"),
                                      ("description", ("description",), MAX_DESC, "desc"),
                                      ("custom", ("custom",), MAX_CUSTOM, "custom")):
        value = _text(body, *names, limit=limit, required=False, what=what)
        if value is not None:
            changes[field] = value
            data["groupname" if field == "name" else field] = True
    if "maxusers" in body:
        changes["maxusers"] = _maxusers(call, body["maxusers"])
        data["maxusers"] = True
    ctx.store.chatrooms.update(room.id, **changes)
    ctx.chatrooms.notify.to_present(room.id, Op.UPDATE, operator=operator(call))
    ctx.events.emit("chatroom.updated", room=room.id, fields=sorted(changes), operator=operator(call))
    return call.ok("put", data=data)


def _transfer(call: Call, room: Room, new_owner):
    ctx = call.ctx
    new_owner = existing_user(call, new_owner)
    if new_owner == room.owner:
        raise RestError(403, "forbidden_op", "new owner and old owner are the same")
    if ctx.store.chatrooms.role(room.id, new_owner) is None:
        raise RestError(403, "forbidden_op", f"user: {new_owner} doesn't exist in group: {room.id}")
    ctx.store.chatrooms.set_role(room.id, room.owner, MEMBER)
    ctx.store.chatrooms.set_role(room.id, new_owner, OWNER)
    ctx.store.chatrooms.update(room.id, owner=new_owner)
    ctx.chatrooms.notify.to_present(room.id, Op.ASSIGN_OWNER, operator=operator(call), to=[new_owner])
    ctx.events.emit("chatroom.owner_changed", room=room.id, owner=new_owner, previous=room.owner)
    return call.ok("put", data={"newowner": True})


@routes.delete(ROOM, auth=Auth.ANY)
async def destroy(call: Call):
    room = room_of(call)
    require_role(call, room, (OWNER,))
    call.ctx.chatrooms.destroy(room.id, operator(call))
    return call.ok("delete", data={"success": True, "id": room.id})


@routes.get(ROOM + "/announcement", auth=Auth.ANY)
async def get_announcement(call: Call):
    return call.ok("get", entities=[], data={"announcement": room_of(call).announcement})


@routes.post(ROOM + "/announcement", auth=Auth.ANY)
async def set_announcement(call: Call):
    room = moderated_room(call)
    body = await call.json()
    text = body.get("announcement") if isinstance(body, dict) else None
    if not isinstance(text, str):
        raise RestError(400, "illegal_argument", "announcement is null")
    if len(text) > MAX_ANNOUNCEMENT:
        raise RestError(403, "forbidden_op", "announce info length exceeds limit!")
    ctx = call.ctx
    ctx.store.chatrooms.update(room.id, announcement=text)
    # UPDATE_ANNOUNCEMENT carries the text in `reason`; an empty text deletes the announcement
    operation = Op.UPDATE_ANNOUNCEMENT if text else Op.DELETE_ANNOUNCEMENT
    ctx.chatrooms.notify.to_present(room.id, operation, operator=operator(call), reason=text)
    ctx.events.emit("chatroom.announcement_set", room=room.id, operator=operator(call), length=len(text))
    return call.ok("post", entities=[], data={"id": room.id, "result": True})

